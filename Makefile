# Residency back office. `make run` starts the whole system with demo data;
# `make test` runs every test against real servers. See README.md.

BUILD	?= build
CC	?= gcc
SAN	?=

CFLAGS	= -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wformat=2 \
	  -O2 -g -I. -I/usr/include/postgresql -MMD -MP
LDLIBS	= -lpq -lldap -llber -lssl -lcrypto -ljansson -lpthread
ifneq ($(SAN),)
CFLAGS	+= -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -O1
LDFLAGS	+= -fsanitize=address,undefined
endif

# The layers (docs/ARCHITECTURE.md): lib, domain, notify and store make
# librb.a, shared by every program.
COMMON_SRC	:= $(wildcard lib/*.c domain/*.c notify/*.c store/*.c)
FCGI_SRC	:= $(wildcard fcgi/*.c)
SCHED_SRC	:= $(wildcard scheduler/*.c)
NOTIFY_SRC	:= $(wildcard notifier/*.c)
PO_SRC		:= $(wildcard po/*.po)
REPORTS_SRC	:= $(wildcard reports/*.c)
UNIT_SRC	:= $(wildcard tests/unit/*.c)
# Helpers shared by test programs (the JSON-Schema checker).
TESTLIB_SRC	:= $(wildcard tests/lib/*.c)
IT_SRC		:= $(filter-out tests/integration/http_client.c,$(wildcard tests/integration/*.c))

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

# The activation letter (reports/activation_letter.c) is drawn with Pango
# and Cairo: their headers for that file only (as system headers, outside
# -Werror), their libraries for the programs that render it.
PANGO_CFLAGS	:= $(patsubst -I%,-isystem %,$(shell pkg-config --cflags pangocairo 2>/dev/null))
PANGO_LIBS	:= $(shell pkg-config --libs pangocairo 2>/dev/null)
$(BUILD)/obj/reports/activation_letter.o: CFLAGS += $(PANGO_CFLAGS)
$(BUILD)/obj/tests/unit/activation_letter.o: CFLAGS += $(PANGO_CFLAGS)

PROGS	:= $(BUILD)/rb-fcgi $(BUILD)/rb-load $(BUILD)/rb-audit-verify $(BUILD)/rb-gen \
	   $(BUILD)/rb-scheduler $(BUILD)/rb-notifier
# The benchmark's bare FastCGI responder (issue 13 §4), the floor of /authorize.
PROGS	+= $(BUILD)/rb-bench-bare
$(BUILD)/rb-bench-bare: $(call obj,bench/bare_fcgi.c)
	$(CC) $(LDFLAGS) -o $@ $^ -lfcgi -lpthread
# The message catalogues, compiled: one per po/<language>.po.
LOCALES	:= $(patsubst po/%.po,$(BUILD)/locale/%.mo,$(PO_SRC))
TESTS	:= $(patsubst tests/unit/%.c,$(BUILD)/tests/unit_%,$(UNIT_SRC)) \
	   $(patsubst tests/integration/%.c,$(BUILD)/tests/it_%,$(IT_SRC))

.SECONDARY:
.PHONY: all tests run stop test load cycle audit-verify bench clean deps check-layers analyze \
	mutants

all: check-layers $(PROGS) $(LOCALES)
tests: $(TESTS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/librb.a: $(call obj,$(COMMON_SRC))
	ar rcs $@ $^

$(BUILD)/rb-fcgi: $(call obj,$(FCGI_SRC)) $(BUILD)/libreports.a $(BUILD)/librb.a
	$(CC) $(LDFLAGS) -o $@ $^ -lfcgi -lxlsxwriter $(PANGO_LIBS) $(LDLIBS)

$(BUILD)/libreports.a: $(call obj,$(REPORTS_SRC))
	ar rcs $@ $^

$(BUILD)/rb-scheduler: $(call obj,$(SCHED_SRC)) $(BUILD)/libreports.a $(BUILD)/librb.a
	$(CC) $(LDFLAGS) -o $@ $^ -lxlsxwriter $(LDLIBS)

$(BUILD)/rb-notifier: $(call obj,$(NOTIFY_SRC)) $(BUILD)/libreports.a $(BUILD)/librb.a
	$(CC) $(LDFLAGS) -o $@ $^ -lcurl -lxlsxwriter $(LDLIBS)

$(BUILD)/locale/%.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt -o $@ $<

$(BUILD)/rb-load: $(call obj,$(wildcard tools/fixture/*.c)) $(BUILD)/librb.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/rb-audit-verify: $(call obj,tools/audit_verify.c) $(BUILD)/librb.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/rb-gen: $(call obj,$(wildcard bench/gen/*.c)) $(BUILD)/librb.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/unit_workbook: $(call obj,tests/unit/workbook.c) $(BUILD)/libreports.a \
		$(BUILD)/librb.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka -lxlsxwriter $(LDLIBS)

$(BUILD)/tests/unit_workbook_penalties: $(call obj,tests/unit/workbook_penalties.c) \
		$(BUILD)/libreports.a $(BUILD)/librb.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka -lxlsxwriter $(LDLIBS)

$(BUILD)/tests/unit_notifier: $(call obj,tests/unit/notifier.c) \
		$(call obj,$(filter-out notifier/main.c,$(NOTIFY_SRC))) $(BUILD)/libreports.a \
		$(BUILD)/librb.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka -lcurl -lxlsxwriter $(LDLIBS)

$(BUILD)/tests/unit_json_schema: $(call obj,tests/unit/json_schema.c) \
		$(call obj,tests/lib/json_schema.c) $(BUILD)/librb.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka $(LDLIBS)

$(BUILD)/tests/unit_activation_letter: $(call obj,tests/unit/activation_letter.c) \
		$(BUILD)/libreports.a $(BUILD)/librb.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka $(PANGO_LIBS) -lfontconfig $(LDLIBS)

$(BUILD)/tests/unit_%: $(call obj,tests/unit/%.c) $(BUILD)/librb.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka $(LDLIBS)

$(BUILD)/tests/it_%: $(call obj,tests/integration/%.c) \
		$(call obj,tests/integration/http_client.c) $(call obj,$(TESTLIB_SRC)) \
		$(BUILD)/librb.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka -lcurl $(LDLIBS)

# Each layer includes only those below it (docs/ARCHITECTURE.md).
check-layers:
	@bash scripts/check_layers.sh

deps:
	bash scripts/deps.sh

# The static analyzer (cppcheck) over the non-test sources; any finding
# fails. make test runs it first.
analyze:
	bash scripts/analyze.sh

# Planted bugs (tests/mutants.txt), each in a scratch copy of the tree,
# built and tested with the tests that should catch it; fails if one
# survives. Not part of make test. MUTANTS='pattern' runs the matching ones.
mutants:
	bash scripts/mutants.sh

# The two commands of the README.
run:
	bash scripts/deps.sh
	$(MAKE) all
	bash scripts/stack.sh run

test:
	bash scripts/deps.sh
	bash scripts/analyze.sh
	$(MAKE) BUILD=build/san SAN=1 all tests
	RB_BIN=$(CURDIR)/build/san bash tests/run.sh

stop:
	bash scripts/stack.sh stop

# The system on five network namespaces of this machine (issue 17 §1):
# front (nginx), app1, app2, db1 (primary, slapd), db2 (replica). The front
# answers on https://127.0.0.1:9443/ too (RB_CLUSTER_PORT).
cluster:
	bash scripts/deps.sh
	$(MAKE) all
	bash scripts/cluster.sh start

cluster-stop:
	bash scripts/cluster.sh stop

.PHONY: cluster cluster-stop

# The state directory of the running stack, as scripts/stack.sh has it.
STACK_ENV = "$${RB_VAR:-var}/stack.env"

# Loads a registry-fixture/1 document into the running stack.
FIXTURE ?= fixtures/demo.json
load: $(BUILD)/rb-load
	. $(STACK_ENV) && $(BUILD)/rb-load $(FIXTURE)

# Runs one renewal cycle now in the running stack (same code as the daemon).
cycle: $(BUILD)/rb-scheduler
	. $(STACK_ENV) && $(BUILD)/rb-scheduler run $(KIND) $(DATE)

audit-verify: $(BUILD)/rb-audit-verify
	. $(STACK_ENV) && $(BUILD)/rb-audit-verify

bench:
	bash scripts/deps.sh
	$(MAKE) all
	bash bench/run.sh

# ---- Fuzzing and fault trials (tests/fuzz/, tests/trials/) ----------------
# The libFuzzer drivers, one per parser of untrusted input, built by clang
# in their own tree (make fuzz sets BUILD=build/fuzz CC=clang FUZZ=1).
# `make fuzz` runs each FUZZ_SECONDS (60); `make trials` runs TRIALS (100)
# kill -9 trials of a renewal cycle; make test runs short versions of both
# (tests/fuzz_test.sh, tests/trials_test.sh, tests/outages_test.sh).
FUZZERS	:= router query cookie body csv exclusion_csv ids dates text fixture multipart
ifneq ($(FUZZ),)
CFLAGS	+= -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined \
	   -fno-omit-frame-pointer
LDFLAGS	+= -fsanitize=fuzzer,address,undefined
endif
FUZZ_LINK	= $(CC) $(LDFLAGS) -o $@ $^ -lfcgi -lxlsxwriter $(PANGO_LIBS) $(LDLIBS)
.PHONY: fuzz fuzzers trials

$(BUILD)/libfcgi_fuzz.a: $(call obj,$(filter-out fcgi/main.c,$(FCGI_SRC)))
	ar rcs $@ $^

# The body driver includes three handlers' files (for their static
# parsers): the archive's copies of those are then never pulled in.
$(BUILD)/fuzz/body: $(call obj,$(addprefix tests/fuzz/,body.c body_grant.c \
		body_subscription.c body_exclusion.c fuzz_lib.c)) \
		$(BUILD)/libfcgi_fuzz.a $(BUILD)/libreports.a $(BUILD)/librb.a
	@mkdir -p $(dir $@)
	$(FUZZ_LINK)

$(BUILD)/fuzz/fixture: $(call obj,tests/fuzz/fixture.c tests/fuzz/fuzz_lib.c \
		$(filter-out tools/fixture/main.c,$(wildcard tools/fixture/*.c))) $(BUILD)/librb.a
	@mkdir -p $(dir $@)
	$(FUZZ_LINK)

$(BUILD)/fuzz/%: $(call obj,tests/fuzz/%.c tests/fuzz/fuzz_lib.c) $(BUILD)/libfcgi_fuzz.a \
		$(BUILD)/libreports.a $(BUILD)/librb.a
	@mkdir -p $(dir $@)
	$(FUZZ_LINK)

fuzzers: $(addprefix $(BUILD)/fuzz/,$(FUZZERS))

fuzz:
	bash scripts/fuzz.sh

trials:
	bash scripts/trials.sh

clean:
	rm -rf build

# A full base backup of the running stack's PostgreSQL into
# $$RB_VAR/backup (WAL is archived there continuously), and a point-in-time
# recovery into a new cluster: make restore TARGET='2026-12-01 22:50:00'
# (Asia/Qatar unless an offset is given; DIR= and PORT= optional).
.PHONY: backup restore
backup:
	RB_VAR=$${RB_VAR:-var} bash scripts/backup.sh

restore:
	RB_VAR=$${RB_VAR:-var} bash scripts/restore.sh "$(TARGET)" $(DIR) $(PORT)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
