# regtui: `make demo` to try it, `make test` to run every test.
SWIFT ?= swift
# make tells its children whether its output is a terminal (MAKE_TERMOUT, MAKE_TERMERR); SwiftPM
# rebuilds everything when its environment changes, so a build in a terminal and one without
# would each recompile the other's work.
unexport MAKE_TERMOUT MAKE_TERMERR

.PHONY: setup build demo test bench screenshots clean

setup:
	scripts/setup

build: setup
	$(SWIFT) build -c release --static-swift-stdlib

demo: build
	scripts/demo

test: setup
	$(SWIFT) test

bench: build
	bench/run

screenshots:
	scripts/screenshots

clean:
	rm -rf .build
