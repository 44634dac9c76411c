# mltop — plain GNU make. Sources are found by directory: adding a .c file needs no edit here.
#   make            build mltop and mltop-sim
#   make deps       install the Debian packages that are missing
#   make demo       deps + build + ./mltop --demo
#   make check      build + every test (unit, golden screens, integration, end to end)
#   make lint       clang-format --dry-run, cppcheck
#   make check-deps the layering rule
#   make asan       the tests under ASan + UBSan + LSan (scripts/asan-leaks.sh)
#   make bench      the figures of docs/figures.md, into bench/results.txt

CC      ?= cc
BUILD   ?= build
PKGS    := ncursesw libcurl libcjson libpcre2-8 sqlite3 inih
SIMPKGS := libmicrohttpd libcjson
PKGCFG  := $(filter-out -D_XOPEN_SOURCE=% -D_DEFAULT_SOURCE,$(shell pkg-config --cflags $(PKGS) $(SIMPKGS) cmocka 2>/dev/null))
LIBS    := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
SIMLIBS := $(shell pkg-config --libs $(SIMPKGS) 2>/dev/null) -lm
TESTLIBS:= $(shell pkg-config --libs cmocka libmicrohttpd 2>/dev/null)

WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
           -Wno-format-nonliteral -Wno-format-truncation
CFLAGS  ?= -O2 -g
override CFLAGS += -std=c11 -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE -D_XOPEN_SOURCE_EXTENDED \
           $(WARN) -I. $(PKGCFG) -MMD -MP
ifeq ($(WERROR),1)
override CFLAGS += -Werror
endif
ifeq ($(SAN),1)
override CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
override LDFLAGS += -fsanitize=address,undefined
endif

LIB_SRC  := $(sort $(wildcard clients/*.c themes/*.c tui/widgets/*.c panels/*.c) \
                   $(filter-out tui/main.c,$(wildcard tui/*.c)))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
SIM_SRC  := $(sort $(wildcard sim/*.c))
SIM_OBJ  := $(SIM_SRC:%.c=$(BUILD)/%.o)
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TESTSUP_SRC := $(sort $(filter-out tests/unit/test_%.c,$(wildcard tests/unit/*.c)))
TESTSUP_OBJ := $(TESTSUP_SRC:%.c=$(BUILD)/%.o)
BENCH_SRC := $(sort $(wildcard bench/*.c))
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

.PHONY: all deps demo check unit lint check-deps asan bench soak fuzz clean format
.SECONDARY: # keep the objects of tests and benches: they are intermediates of pattern rules
all: mltop mltop-sim

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libmltop.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

mltop: $(BUILD)/tui/main.o $(BUILD)/libmltop.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

mltop-sim: $(SIM_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(SIMLIBS)

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(TESTSUP_OBJ) $(BUILD)/libmltop.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS) $(TESTLIBS)

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(BUILD)/libmltop.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS) $(TESTLIBS)

deps:
	@sh scripts/deps.sh

demo: deps all
	./mltop --demo

unit: all $(TEST_BIN)

check: all $(TEST_BIN)
	@sh tests/run.sh $(BUILD)

# The tests under ASan+UBSan+LSan, in a private copy of the tree (the ASan build writes its own
# ./mltop and ./mltop-sim, which must not replace the shared ones), one test at a time.
asan:
	@sh scripts/asan-leaks.sh

# make fuzz: scripts/fuzz.sh builds tests/fuzz/fuzz_*.c with clang's libFuzzer and runs each
# target FUZZ_SECONDS from its corpus (FUZZ_TARGETS=REGEX: only those).
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 30
FUZZ_BUILD   ?= build-fuzz
FUZZ_CFLAGS  := -std=c11 -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE -D_XOPEN_SOURCE_EXTENDED \
                $(WARN) -I. $(PKGCFG)
fuzz:
	@FUZZ_CC='$(FUZZ_CC)' FUZZ_SECONDS='$(FUZZ_SECONDS)' FUZZ_BUILD='$(FUZZ_BUILD)' \
	FUZZ_CFLAGS='$(FUZZ_CFLAGS)' FUZZ_LIBS='$(LIBS)' sh scripts/fuzz.sh

lint:
	@sh scripts/lint.sh

check-deps:
	@sh scripts/check-deps.sh

bench: all $(BENCH_BIN)
	@sh bench/run.sh $(BUILD)

soak: all
	@sh bench/soak.sh

clean:
	rm -rf build build-asan build-fuzz mltop mltop-sim

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
