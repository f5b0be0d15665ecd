# Ming's Kitchen. `make` builds everything, `make test` runs every test,
# `make serve` serves the demo, `make bench` prints the speed figures.

CC ?= cc
# Parity needs IEEE arithmetic as written: no fast-math, no FMA contraction.
CFLAGS ?= -O2
CFLAGS += -std=c11 -Wall -Wextra -Wshadow -ffp-contract=off -fno-math-errno
NATIVE_FLAGS ?= -march=native
LDLIBS = -lm

CORE_SRC = c/error.c c/rng.c c/dataset.c c/model.c c/adam.c c/sampler.c c/session.c c/checkpoint.c
CORE_HDR = c/microgpt.h

BUILD = build

.PHONY: all native test test-native bench clean

all: native

native: $(BUILD)/microgpt $(BUILD)/rng_values $(BUILD)/microgpt_asan

$(BUILD)/microgpt: $(CORE_SRC) c/cli.c $(CORE_HDR) | $(BUILD)
	$(CC) $(CFLAGS) $(NATIVE_FLAGS) -o $@ $(CORE_SRC) c/cli.c $(LDLIBS)

# The same core with AddressSanitizer and UBSan, for the bad-input tests.
$(BUILD)/microgpt_asan: $(CORE_SRC) c/cli.c $(CORE_HDR) | $(BUILD)
	$(CC) -std=c11 -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -ffp-contract=off \
		-o $@ $(CORE_SRC) c/cli.c $(LDLIBS)

# Prints generator values for tests/core/rng.test.mjs to compare with CPython's.
$(BUILD)/rng_values: tests/core/rng_values.c $(CORE_SRC) $(CORE_HDR) | $(BUILD)
	$(CC) $(CFLAGS) -Ic -o $@ tests/core/rng_values.c $(CORE_SRC) $(LDLIBS)

$(BUILD):
	mkdir -p $@

test: native
	node --test tests/

bench: native
	node tests/bench.mjs

clean:
	rm -rf $(BUILD)
