// Package searcher compiles a query tree (package query) against an index
// (package index) into iterators over postings, scores the documents they
// match and collects the best ones.
//
// Iterators walk documents in ascending order. Leaves decode one term's
// postings into arrays (lists are short on the sites Quarry serves: the
// largest Cranfield list has 1,400 entries) and compound iterators
// combine their children: union with a sum (Sum, Any), intersection
// (Any with All, phrases), exclusion (Bool).
//
// Two scoring families live side by side, as in package query:
//
//   - Plain words use Quarry's own BM25 (k1 1.2, b 0.75, raw term
//     frequency, idf log(1 + (N − df + 0.5)/(df + 0.5)), the true average
//     field length) and BM25F (fields' normalised frequencies weighted
//     and summed before one saturation with k1 2.0). Measured on
//     Cranfield: standard BM25 per field nDCG@10 0.384, BM25F 0.402,
//     k1 2.0 0.405; bleve's own BM25 through its disjunction 0.337.
//   - Query syntax reproduces bleve 2.5.7's searchers: term scores use the
//     square root of the frequency, k1 1.2 in the numerator only, the
//     average length rounded up, and are multiplied by boost × idf × query
//     norm, the norm being 1/sqrt(Σ (boost × idf)²) over the outermost
//     compound's clauses; disjunctions multiply by the fraction of
//     clauses matched. A differential test runs both engines.
package searcher
