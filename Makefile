# Ming's Kitchen. `make` builds everything, `make test` runs every test,
# `make serve` serves the demo, `make bench` prints the speed figures.

CC ?= cc
# Parity needs IEEE arithmetic as written: no fast-math, no FMA contraction.
OPT ?= -O3 -funroll-loops
NATIVE_FLAGS ?= -march=native
PARITY_FLAGS = -std=c11 -ffp-contract=off -fno-math-errno
CFLAGS = $(OPT) $(PARITY_FLAGS) -Wall -Wextra -Wshadow -Wno-psabi
LDLIBS = -lm

# The core: the same files in both builds but for the kernels (c/kernels.h),
# whose implementation each build picks.
CORE_COMMON = c/error.c c/rng.c c/dataset.c c/model.c c/adam.c c/sampler.c c/session.c c/checkpoint.c c/inspect.c \
	c/kernels_common.c c/exp_vec.c
CORE_SRC = $(CORE_COMMON) c/kernels_native.c
WASM_CORE_SRC = $(CORE_COMMON) c/kernels_wasm.c
CORE_HDR = $(wildcard c/*.h)

BUILD = build

# WebAssembly: Emscripten with this project's config (see emscripten.cfg).
EMCC ?= emcc
EM_CONFIG ?= $(CURDIR)/emscripten.cfg
export EM_CONFIG
# Debian's emcc needs Debian's acorn for its JS optimizer.
export NODE_PATH := $(NODE_PATH):/usr/share/nodejs
WASM_FLAGS = -O3 -msimd128 -mbulk-memory $(PARITY_FLAGS) --no-entry -sSTANDALONE_WASM -sMALLOC=emmalloc \
	-sEXPORTED_FUNCTIONS=@c/exports.json -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=4MB \
	-sMAXIMUM_MEMORY=1GB -sTOTAL_STACK=256KB
WASM = $(BUILD)/web/microgpt.wasm

.PHONY: all native wasm site serve test bench readme-shots clean system-emcc system-chromium \
	system-fuzzer fuzzers fuzz

all: native wasm site

# System packages: installed with apt-get when root, else a clear instruction.
system-emcc:
	@.ci/system-deps.sh emcc
system-chromium:
	@.ci/system-deps.sh chromium
system-fuzzer:
	@FUZZ_CC=$(FUZZ_CC) .ci/system-deps.sh fuzzer

# npm packages, exactly as locked.
NODE_DEPS = node_modules/.install-stamp
$(NODE_DEPS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

wasm: system-emcc
	@$(MAKE) --no-print-directory $(WASM) $(BUILD)/kernels_check.cjs

$(WASM): $(WASM_CORE_SRC) c/wasm_exports.c c/exports.json $(CORE_HDR) emscripten.cfg Makefile
	@mkdir -p $(dir $@)
	$(EMCC) $(WASM_FLAGS) $(WASM_CORE_SRC) c/wasm_exports.c -o $@

# The site: plain static files in web/dist.
SITE = web/dist/index.html
WEB_SRC = $(shell find web/src web/public -type f 2>/dev/null) web/index.html web/embed.html web/build.mjs data/names.txt \
	$(wildcard data/makemore_names.txt data/presets/* data/reference/*.json)
site: wasm $(NODE_DEPS)
	@$(MAKE) --no-print-directory $(SITE)

$(SITE): $(WEB_SRC) $(WASM) $(NODE_DEPS)
	node web/build.mjs --wasm $(WASM)
	@touch $@

PORT ?= 8000
serve: site
	node web/serve.mjs --port $(PORT) --dir web/dist

# The CLI's records when --data is not given: Karpathy's makemore names.
DEFAULT_DATA ?= $(CURDIR)/data/makemore_names.txt
CLI_FLAGS = -DMG_DEFAULT_DATA='"$(DEFAULT_DATA)"'

native: $(BUILD)/microgpt $(BUILD)/rng_values $(BUILD)/gradcheck $(BUILD)/microgpt_asan $(BUILD)/kernels_check

$(BUILD)/microgpt: $(CORE_SRC) c/cli.c $(CORE_HDR) Makefile | $(BUILD)
	$(CC) $(CFLAGS) $(NATIVE_FLAGS) $(CLI_FLAGS) -o $@ $(CORE_SRC) c/cli.c $(LDLIBS)

# The same core with AddressSanitizer and UBSan, for the bad-input tests.
$(BUILD)/microgpt_asan: $(CORE_SRC) c/cli.c $(CORE_HDR) Makefile | $(BUILD)
	$(CC) -O1 -g $(PARITY_FLAGS) $(CLI_FLAGS) -Wno-psabi -fsanitize=address,undefined -fno-sanitize-recover=all \
		-o $@ $(CORE_SRC) c/cli.c $(LDLIBS)

# Prints generator values for tests/core/rng.test.mjs to compare with CPython's.
$(BUILD)/rng_values: tests/core/rng_values.c $(CORE_SRC) $(CORE_HDR) | $(BUILD)
	$(CC) $(CFLAGS) -Ic -o $@ tests/core/rng_values.c $(CORE_SRC) $(LDLIBS)

# Compares the hand-written backward pass with finite differences.
$(BUILD)/gradcheck: tests/core/gradcheck.c $(CORE_SRC) $(CORE_HDR) | $(BUILD)
	$(CC) $(CFLAGS) -Ic -o $@ tests/core/gradcheck.c $(CORE_SRC) $(LDLIBS)

# Each kernel against the plain loop (tests/core/kernels.test.mjs), natively
# and as WebAssembly under Node.
KERNEL_CHECK_SRC = tests/core/kernels.c c/kernels_common.c c/exp_vec.c
$(BUILD)/kernels_check: $(KERNEL_CHECK_SRC) c/kernels_native.c $(CORE_HDR) | $(BUILD)
	$(CC) $(CFLAGS) $(NATIVE_FLAGS) -Ic -o $@ $(KERNEL_CHECK_SRC) c/kernels_native.c $(LDLIBS)
$(BUILD)/kernels_check.cjs: $(KERNEL_CHECK_SRC) c/kernels_wasm.c $(CORE_HDR) emscripten.cfg | $(BUILD)
	$(EMCC) -O3 -msimd128 $(PARITY_FLAGS) -Ic -sENVIRONMENT=node -sSINGLE_FILE=1 -sALLOW_MEMORY_GROWTH=1 -o $@ \
		$(KERNEL_CHECK_SRC) c/kernels_wasm.c

$(BUILD):
	mkdir -p $@

# libFuzzer harnesses (tests/fuzz/NAME.c) over the core with AddressSanitizer
# and UBSan. `make fuzz` runs each for FUZZ_SECONDS on a working corpus in
# build/fuzz/corpus-NAME, reading the seeds in tests/fuzz/corpus/NAME (never
# written); crashes land in build/fuzz/NAME-crash-*. make test runs each ~5 s
# (tests/fuzz/fuzz.test.mjs).
FUZZ_CC ?= clang-14
FUZZ_FLAGS = -g -O2 -std=c11 -Wall -Wextra -Wno-psabi -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all
FUZZERS ?= dataset checkpoint names
FUZZ_SECONDS ?= 600
FUZZ_BINS = $(FUZZERS:%=$(BUILD)/fuzz/%)

fuzzers: system-fuzzer
	@$(MAKE) --no-print-directory $(FUZZ_BINS)

$(BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/harness.h $(CORE_SRC) $(CORE_HDR)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -Ic -o $@ $< $(CORE_SRC) $(LDLIBS)

fuzz: fuzzers
	@tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZERS)

test: native site system-chromium fuzzers
	node --test --test-concurrency=1 tests/

bench: native site system-chromium
	node tests/bench.mjs

# The pictures of the embeddable views in README (web/readme/ID.png).
readme-shots: site system-chromium
	node tests/readme-shots.mjs

clean:
	rm -rf $(BUILD) web/dist
