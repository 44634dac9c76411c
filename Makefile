# mltop — plain GNU make. Sources are found by directory: adding a .c file needs no edit here.
#   make            build mltop and mltop-sim
#   make deps       install the Debian packages that are missing
#   make demo       deps + build + ./mltop --demo
#   make check      build + every test (layering, lint, shellcheck, unit, golden screens,
#                   integration, end to end, the flow and random-key tests under ASan+UBSan)
#   make lint       clang-format --dry-run, cppcheck
#   make check-deps the layering rule, every include at any depth
#   make shellcheck every shell script
#   make monkey     random keys under ASan+UBSan: SEED=n (default: the time) SECONDS=s (300);
#                   KEYS=k replays exactly the first k keys of SEED's sequence
#   make asan       the tests under ASan + UBSan + LSan (scripts/asan-leaks.sh)
#   make bench      the figures of docs/figures.md, into bench/results.txt

CC      ?= cc
BUILD   ?= build
PKGS    := ncursesw libcurl libcjson libpcre2-8 sqlite3 inih libcrypto
SIMPKGS := libmicrohttpd libcjson
# Each pkg-config call asks for what one part needs, so that a missing test-only package (cmocka)
# leaves the flags of mltop and mltop-sim whole.
TESTPKGS := cmocka libmicrohttpd
FEATURES := -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE -D_XOPEN_SOURCE_EXTENDED
PKGCFG  := $(filter-out -D_XOPEN_SOURCE=% -D_DEFAULT_SOURCE,$(shell pkg-config --cflags $(PKGS) $(SIMPKGS) 2>/dev/null) \
           $(shell pkg-config --cflags $(TESTPKGS) 2>/dev/null))
LIBS    := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
SIMLIBS := $(shell pkg-config --libs $(SIMPKGS) 2>/dev/null) -lm
TESTLIBS:= $(shell pkg-config --libs $(TESTPKGS) 2>/dev/null)

WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
           -Wno-format-nonliteral -Wno-format-truncation
CFLAGS  ?= -O2 -g
override CFLAGS += -std=c11 $(FEATURES) $(WARN) -I. $(PKGCFG) -MMD -MP
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
# The fake of clients/rollout_run is linked into the tests of the write dialog only.
TESTFAKE_SRC := tests/unit/rollout_fake.c
TESTSUP_SRC := $(sort $(filter-out tests/unit/test_%.c $(TESTFAKE_SRC),$(wildcard tests/unit/*.c)))
TESTSUP_OBJ := $(TESTSUP_SRC:%.c=$(BUILD)/%.o)
# The ASan+UBSan build of mltop and mltop-sim that the flow and random-key tests run, in its own
# object directory: ./mltop stays the normal build. mltop --demo starts the mltop-sim next to it.
# make asan-bin builds them; make check does too.
ASAN_DIR := $(BUILD)/asan
ASAN_FLAGS := -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
ASAN_OBJ := $(patsubst %.c,$(ASAN_DIR)/obj/%.o,tui/main.c $(LIB_SRC))
ASAN_SIM_OBJ := $(SIM_SRC:%.c=$(ASAN_DIR)/obj/%.o)
ASAN_BIN := $(ASAN_DIR)/mltop $(ASAN_DIR)/mltop-sim
BENCH_SRC := $(sort $(wildcard bench/*.c))
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

.PHONY: all deps demo check unit lint check-deps shellcheck asan asan-bin monkey bench soak fuzz \
        clean format
.SECONDARY: # keep the objects of tests and benches: they are intermediates of pattern rules
all: mltop mltop-sim

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

$(ASAN_DIR)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(ASAN_FLAGS) -c $< -o $@

$(ASAN_DIR)/mltop: $(ASAN_OBJ)
	$(CC) $(LDFLAGS) $(ASAN_FLAGS) -o $@ $^ $(LIBS)

$(ASAN_DIR)/mltop-sim: $(ASAN_SIM_OBJ)
	$(CC) $(LDFLAGS) $(ASAN_FLAGS) -o $@ $^ $(SIMLIBS)

# The themes are looked up next to the binary.
$(ASAN_DIR)/themes:
	@mkdir -p $(@D)
	ln -sfn $(CURDIR)/themes $@

asan-bin: $(ASAN_BIN) $(ASAN_DIR)/themes

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

TESTFAKE_BIN := $(filter $(BUILD)/tests/test_panel_action%,$(TEST_BIN))
$(TESTFAKE_BIN): $(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(BUILD)/tests/unit/rollout_fake.o \
                                   $(TESTSUP_OBJ) $(BUILD)/libmltop.a
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

# The flags check-deps preprocesses with: the build's, without the dependency files.
DEPS_CFLAGS = $(filter-out -MMD -MP -Werror,$(CFLAGS))

check: all $(TEST_BIN) asan-bin
	@CC='$(CC)' DEPS_CFLAGS='$(DEPS_CFLAGS)' sh tests/run.sh $(BUILD)

SECONDS ?= 300
monkey: all asan-bin
	@seed='$(SEED)'; seed=$${seed:-$$(date +%s)}; echo "monkey: seed $$seed"; \
	MLTOP_BUILD='$(BUILD)' MONKEY_SEEDS="$$seed" MONKEY_SECONDS='$(SECONDS)' \
	MONKEY_KEYS='$(KEYS)' sh tests/e2e/monkey.sh

# The tests under ASan+UBSan+LSan, in a private copy of the tree (the ASan build writes its own
# ./mltop and ./mltop-sim, which must not replace the shared ones), one test at a time.
asan:
	@sh scripts/asan-leaks.sh

# make fuzz: scripts/fuzz.sh builds tests/fuzz/fuzz_*.c with clang's libFuzzer and runs each
# target FUZZ_SECONDS from its corpus (FUZZ_TARGETS=REGEX: only those).
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 30
FUZZ_BUILD   ?= build-fuzz
FUZZ_CFLAGS  := -std=c11 $(FEATURES) $(WARN) -I. $(PKGCFG)
fuzz:
	@FUZZ_CC='$(FUZZ_CC)' FUZZ_SECONDS='$(FUZZ_SECONDS)' FUZZ_BUILD='$(FUZZ_BUILD)' \
	FUZZ_CFLAGS='$(FUZZ_CFLAGS)' FUZZ_LIBS='$(LIBS)' sh scripts/fuzz.sh

lint:
	@sh scripts/lint.sh

check-deps:
	@CC='$(CC)' DEPS_CFLAGS='$(DEPS_CFLAGS)' sh scripts/check-deps.sh

shellcheck:
	@sh scripts/shellcheck.sh

bench: all $(BENCH_BIN)
	@sh bench/run.sh $(BUILD)

soak: all
	@sh bench/soak.sh

# ---- Release: the version, install, the Debian package ------------------------------------
#   make install    PREFIX=/usr/local DESTDIR=: binaries, man pages, themes, an example config,
#                   bash and zsh completion; make uninstall removes exactly those
#   make deb        a Debian package, built with debhelper from a copy of the tree in build/deb
#                   (scripts/deb.sh), then checked with lintian
# The release and the commit reach two small objects only (tui/version.o, sim/main.o): a new
# commit rebuilds those two, through a stamp rewritten only when its text changes.
VERSION    := 0.1.0
GIT_COMMIT ?= $(shell git describe --always --dirty 2>/dev/null || echo unknown)
VERSION_STAMP := $(BUILD)/version.stamp
$(shell mkdir -p $(BUILD) && { echo '$(VERSION) $(GIT_COMMIT)' | cmp -s - $(VERSION_STAMP) || \
        echo '$(VERSION) $(GIT_COMMIT)' >$(VERSION_STAMP); })
VERSION_OBJ := $(BUILD)/tui/version.o $(BUILD)/sim/main.o $(ASAN_DIR)/obj/tui/version.o \
               $(ASAN_DIR)/obj/sim/main.o
$(VERSION_OBJ): $(VERSION_STAMP)
$(VERSION_OBJ): override CFLAGS += -DMLTOP_VERSION='"$(VERSION)"' -DMLTOP_COMMIT='"$(GIT_COMMIT)"'

PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
MANDIR      ?= $(PREFIX)/share/man
DATADIR     ?= $(PREFIX)/share/mltop
DOCDIR      ?= $(PREFIX)/share/doc/mltop
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
INSTALL     ?= install
THEMES      := $(sort $(wildcard themes/*.ini))
MANPAGES    := mltop.1 mltop-sim.1

.PHONY: install uninstall deb
install: all
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)/themes \
	    $(DESTDIR)$(DOCDIR) $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	$(INSTALL) -m 755 mltop mltop-sim $(DESTDIR)$(BINDIR)/
	$(INSTALL) -m 644 $(MANPAGES) $(DESTDIR)$(MANDIR)/man1/
	$(INSTALL) -m 644 $(THEMES) $(DESTDIR)$(DATADIR)/themes/
	$(INSTALL) -m 644 contrib/config.example.ini $(DESTDIR)$(DOCDIR)/
	$(INSTALL) -m 644 contrib/completion/mltop.bash $(DESTDIR)$(BASHCOMPDIR)/mltop
	$(INSTALL) -m 644 contrib/completion/mltop.bash $(DESTDIR)$(BASHCOMPDIR)/mltop-sim
	$(INSTALL) -m 644 contrib/completion/_mltop $(DESTDIR)$(ZSHCOMPDIR)/_mltop

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/mltop $(DESTDIR)$(BINDIR)/mltop-sim \
	    $(MANPAGES:%=$(DESTDIR)$(MANDIR)/man1/%) \
	    $(THEMES:themes/%=$(DESTDIR)$(DATADIR)/themes/%) \
	    $(DESTDIR)$(DOCDIR)/config.example.ini \
	    $(DESTDIR)$(BASHCOMPDIR)/mltop $(DESTDIR)$(BASHCOMPDIR)/mltop-sim \
	    $(DESTDIR)$(ZSHCOMPDIR)/_mltop
	-rmdir $(DESTDIR)$(DATADIR)/themes $(DESTDIR)$(DATADIR) $(DESTDIR)$(DOCDIR) 2>/dev/null

DEBDIR ?= $(BUILD)/deb
deb:
	@GIT_COMMIT='$(GIT_COMMIT)' sh scripts/deb.sh '$(DEBDIR)' '$(VERSION)'
# ---- end of Release ------------------------------------------------------------------------

clean:
	rm -rf $(BUILD) build-asan $(FUZZ_BUILD) mltop mltop-sim

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
