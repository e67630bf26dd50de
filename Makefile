# iotrace build. Outputs go under build/; `make V=1` shows the commands.
#   make          build/iotrace
#   make test     dependencies, build, unit and integration tests (as root)
#   make kernel61 Debian 12's kernel and an initramfs for the qemu test
#   make demo     dependencies, build, trace the bundled demo server
#   make flame-demo  docs/flame-demo.svg and .png: iotrace flame of two demo servers
#   make deps     install the Debian packages (scripts/install-deps.sh)

BUILD      ?= build
CLANG      ?= clang
BPFTOOL    ?= bpftool
CXX        ?= g++
CC         ?= gcc
ARCH       := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
VERSION    := 0.1.0

CXXFLAGS   ?= -O2 -g
CXXFLAGS   += -std=c++20 -Wall -Wextra -MMD -MP -Ibpf -Isrc -I$(BUILD) -DIOTRACE_VERSION='"$(VERSION)"'
BPF_CFLAGS := -g -O2 -mcpu=v3 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -I$(BUILD) -Ibpf
LDLIBS     := -lbpf -ldw -lelf -lz -lfmt
# ncurses (wide) for iotrace top's screen, src/top/paint.cpp.
LDLIBS     += $(shell pkg-config --libs ncursesw 2>/dev/null || echo -lncursesw -ltinfo)
TEST_LIBS  := -lgtest -lgtest_main -pthread

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

# Everything under src/ but main.cpp goes into a static library the tests link too.
LIB_SRCS   := $(shell find src -name '*.cpp' ! -name main.cpp | sort)
LIB_OBJS   := $(LIB_SRCS:%.cpp=$(BUILD)/%.o)
MAIN_OBJ   := $(BUILD)/src/main.o
UNIT_SRCS  := $(sort $(wildcard tests/unit/*.cpp))
UNIT_OBJS  := $(UNIT_SRCS:%.cpp=$(BUILD)/%.o)
INTEG_SRCS := $(sort $(wildcard tests/integration/*.cpp))
INTEG_OBJS := $(INTEG_SRCS:%.cpp=$(BUILD)/%.o)
WORKLOADS  := $(patsubst tests/workloads/%.c,$(BUILD)/workloads/%,$(sort $(wildcard tests/workloads/*.c)))
# One BPF object per family file, linked into one (bpftool gen object) so
# that one skeleton loads them all and they share the maps.
BPF_SRCS   := $(sort $(wildcard bpf/*.bpf.c))
BPF_OBJS   := $(BPF_SRCS:bpf/%.bpf.c=$(BUILD)/bpf/%.bpf.o)
SKELS      := $(BUILD)/iotrace.skel.h
KERNEL_DIR := $(BUILD)/kernel

.DELETE_ON_ERROR:
.SECONDARY:
.PHONY: all deps test unit integration demo flame-demo clean workloads kernel61

all: $(BUILD)/iotrace

deps:
	$(Q)scripts/install-deps.sh

$(BUILD)/vmlinux.h:
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@

$(BUILD)/bpf/%.bpf.o: bpf/%.bpf.c $(wildcard bpf/*.h) $(BUILD)/vmlinux.h
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/iotrace.bpf.o: $(BPF_OBJS)
	$(call msg,BPF-LINK,$@)
	$(Q)$(BPFTOOL) gen object $@ $^

$(BUILD)/iotrace.skel.h: $(BUILD)/iotrace.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name iotrace_bpf > $@

$(BUILD)/%.o: %.cpp | $(SKELS)
	$(call msg,CXX,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CXX) $(CXXFLAGS) -c $< -o $@

$(BUILD)/libiotrace.a: $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)ar rcs $@ $^

$(BUILD)/iotrace: $(MAIN_OBJ) $(BUILD)/libiotrace.a
	$(call msg,LINK,$@)
	$(Q)$(CXX) $(CXXFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/unit_tests: $(UNIT_OBJS) $(BUILD)/libiotrace.a
	$(call msg,LINK,$@)
	$(Q)$(CXX) $(CXXFLAGS) $^ $(LDLIBS) $(TEST_LIBS) -o $@

$(BUILD)/integration_tests: $(INTEG_OBJS) $(BUILD)/libiotrace.a
	$(call msg,LINK,$@)
	$(Q)$(CXX) $(CXXFLAGS) $^ $(LDLIBS) $(TEST_LIBS) -o $@

# Workloads are static so that a traced launch (`iotrace -- wl ...`) sees no
# dynamic loader reading libraries: their syscalls are exactly their code's.
$(BUILD)/workloads/%: tests/workloads/%.c $(wildcard tests/workloads/*.h)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -O2 -g -Wall -Wextra -static -pthread $< -o $@

# The flame tests' workload with frame pointers (a frame-pointer walk follows
# its stacks), and again without them, for the truncation warning.
$(BUILD)/workloads/flamepaths: tests/workloads/flamepaths.c $(wildcard tests/workloads/*.h)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -O2 -g -fno-omit-frame-pointer -fno-shrink-wrap -Wall -Wextra -static $< -o $@

$(BUILD)/workloads/flamepaths-nofp: tests/workloads/flamepaths.c $(wildcard tests/workloads/*.h)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -O2 -g -fomit-frame-pointer -Wall -Wextra -static $< -o $@

WORKLOADS += $(BUILD)/workloads/flamepaths-nofp

workloads: $(WORKLOADS)

# The qemu test of Debian 12's own kernel (tests/integration/kernel61_test.cpp):
# the newest linux-image-6.1.0-N-amd64, fetched with apt-get download (kept
# unpacked in $(KERNEL_DIR), checked against apt's lists on every run), and
# an initramfs with busybox, iotrace, its libraries and the workloads.
kernel61: $(KERNEL_DIR)/initramfs.cpio.gz
	$(call msg,KERNEL,$(KERNEL_DIR)/vmlinuz)
	$(Q)tests/kernel/fetch-kernel.sh $(KERNEL_DIR) >/dev/null

$(KERNEL_DIR)/initramfs.cpio.gz: $(BUILD)/iotrace $(WORKLOADS) tests/kernel/init tests/kernel/make-initramfs.sh
	$(call msg,CPIO,$@)
	$(Q)tests/kernel/make-initramfs.sh $@ $(BUILD)/iotrace $(BUILD)/workloads tests/kernel/init

unit: $(BUILD)/unit_tests
	$(BUILD)/unit_tests

integration: $(BUILD)/iotrace $(BUILD)/integration_tests $(WORKLOADS) kernel61
	IOTRACE=$(BUILD)/iotrace WORKLOADS=$(BUILD)/workloads KERNEL_DIR=$(KERNEL_DIR) $(BUILD)/integration_tests

test: deps
	$(Q)$(MAKE) --no-print-directory unit
	$(Q)$(MAKE) --no-print-directory integration

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)scripts/demo.sh

flame-demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)scripts/flame-demo.sh

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
