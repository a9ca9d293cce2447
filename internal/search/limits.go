package search

import "github.com/blevesearch/bleve/v2/search/searcher"

func searcherMaxClauseCount() int     { return searcher.DisjunctionMaxClauseCount }
func setSearcherMaxClauseCount(n int) { searcher.DisjunctionMaxClauseCount = n }
