# Developer entry points. `make test` is what CI runs.
.PHONY: test build example bench format

test:
	scripts/ensure-deps
	swift test

build:
	scripts/ensure-deps
	swift build

example:
	swift run exportgate-fixtures example Fixtures/example

bench:
	scripts/ensure-deps
	Benchmarks/run

format:
	swift format --in-place --recursive Sources Tests Benchmarks Package.swift
