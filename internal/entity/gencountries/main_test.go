package main

import (
	"bytes"
	"os"
	"testing"
)

// TestCountriesFile: the gazetteer's countries.txt is what gountries
// holds (run go generate ./internal/entity when it is not).
func TestCountriesFile(t *testing.T) {
	got, err := os.ReadFile("../lexicon/countries.txt")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, countriesFile()) {
		t.Error("internal/entity/lexicon/countries.txt is stale: run go generate ./internal/entity")
	}
}
