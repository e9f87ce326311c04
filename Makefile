# regtui: `make demo` to try it, `make test` to run every test.
SWIFT ?= swift

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
