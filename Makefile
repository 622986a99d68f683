# Developer entry points. `make test` is what CI runs.
.PHONY: test build example bench format share standalone install dist

PREFIX ?= /usr/local
VERSION := $(shell sed -n 's/.*current = "\(.*\)".*/\1/p' Sources/ExportGate/ExportGateVersion.swift)
ARCH := $(shell uname -m)
DIST_NAME := exportgate-$(VERSION)-linux-$(ARCH)
SHARE := .build/share

# The suite runs the standalone binary `make dist` builds through the example once.
test: dist
	scripts/ensure-test-tools
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

# The man page (swift-argument-parser's manual generator) and shell completions, generated
# from the command definitions themselves, so they never drift from --help. Generated from the
# debug build the tests use anyway: the text does not depend on the build.
share:
	scripts/ensure-deps
	swift build --product exportgate
	swift package plugin generate-manual --configuration debug >/dev/null
	rm -rf $(SHARE) && mkdir -p $(SHARE)/man/man1 $(SHARE)/bash-completion/completions \
	  $(SHARE)/zsh/site-functions $(SHARE)/fish/vendor_completions.d
	cp .build/plugins/GenerateManual/outputs/exportgate/*.1 $(SHARE)/man/man1/
	.build/debug/exportgate --generate-completion-script bash > $(SHARE)/bash-completion/completions/exportgate
	.build/debug/exportgate --generate-completion-script zsh > $(SHARE)/zsh/site-functions/_exportgate
	.build/debug/exportgate --generate-completion-script fish > $(SHARE)/fish/vendor_completions.d/exportgate.fish

# The standalone binary: release, the Swift runtime and Foundation linked in statically, in a
# build folder of its own (its flags differ from the benchmarks' release build, and sharing one
# folder would rebuild everything each time either runs). At run time it needs only libarchive
# ISA-L and SQLite (Debian/Ubuntu: libarchive13, libisal2, libsqlite3-0), the C and C++ runtimes.
STANDALONE := .build/standalone
standalone:
	scripts/ensure-deps
	swift build -c release --static-swift-stdlib --product exportgate --scratch-path $(STANDALONE)
	strip -o $(STANDALONE)/exportgate $(STANDALONE)/release/exportgate

# make install PREFIX=$$HOME/.local: the binary, its man page and completions.
install: standalone share
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(STANDALONE)/exportgate $(DESTDIR)$(PREFIX)/bin/exportgate
	mkdir -p $(DESTDIR)$(PREFIX)/share
	cp -R $(SHARE)/. $(DESTDIR)$(PREFIX)/share/
	@echo "installed exportgate $(VERSION) in $(DESTDIR)$(PREFIX) (man exportgate)"

# A tarball for admins without Swift: bin/, share/ (man page, completions), README.
dist: standalone share
	rm -rf .build/dist && mkdir -p .build/dist/$(DIST_NAME)/bin
	install -m 755 $(STANDALONE)/exportgate .build/dist/$(DIST_NAME)/bin/exportgate
	cp -R $(SHARE) .build/dist/$(DIST_NAME)/share
	cp README.md .build/dist/$(DIST_NAME)/
	tar -C .build/dist -czf .build/dist/$(DIST_NAME).tar.gz $(DIST_NAME)
	@echo "built .build/dist/$(DIST_NAME).tar.gz"
