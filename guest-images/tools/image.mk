# Shared rules for image folders. An image folder's Makefile sets
#   IMAGES         image names; each is built as bin/<name>.elf
#   OBJS_<name>    its objects (default: <name>.o), built from src/<stem>.c or src/<stem>.S
#   CFLAGS ASFLAGS LDFLAGS LDLIBS (and LDLIBS_<name>)
# and then includes this file. Every image gets build/<name>.elf.deps, a make-style list of all
# the files it was built from (the compiler's -MMD output plus the Makefiles); tools/manifest.mjs
# turns those lists into guest-images/manifest.json, which test/images/stale.test.ts checks.
#
# Targets: all (images + manifest), images, manifest, clean, expected (empty unless the folder
# adds recipes with `expected::`), check-reproducible (rebuild in a scratch copy and compare).

GI_ROOT   := ..
FOLDER    := $(notdir $(CURDIR))
CROSS     ?= powerpc-linux-gnu-
CC        := $(CROSS)gcc
LD        := $(CROSS)ld
NODE      ?= node
PYTHON    ?= python3
MANIFEST  := $(NODE) $(GI_ROOT)/tools/manifest.mjs
MAKEDEPS  := Makefile $(GI_ROOT)/tools/image.mk

# Reproducibility: no build id, no absolute paths, no timestamps.
BASEFLAGS := -ffile-prefix-map=$(CURDIR)=.

objs_of = $(addprefix build/,$(or $(OBJS_$(1)),$(1).o))

.PHONY: all images manifest clean expected check-reproducible
.SECONDARY:
.DELETE_ON_ERROR:

all: images
	@$(MAKE) --no-print-directory manifest

images: $(IMAGES:%=bin/%.elf)

manifest:
	$(MANIFEST) update --root $(GI_ROOT) --folder $(FOLDER) --cc $(CC) --ld $(LD) \
	  --flags "$(CFLAGS) $(LDFLAGS) $(LDLIBS)" $(IMAGES:%=bin/%.elf)

build bin:
	mkdir -p $@

build/%.o: src/%.c $(MAKEDEPS) | build
	$(CC) $(BASEFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

build/%.o: src/%.S $(MAKEDEPS) | build
	$(CC) $(BASEFLAGS) $(ASFLAGS) -MMD -MP -c -o $@ $<

.SECONDEXPANSION:
bin/%.elf: $$(call objs_of,$$*) | bin
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LDLIBS_$*) $(LDLIBS)
	cat $(patsubst %.o,%.d,$(filter %.o,$^)) > build/$*.elf.deps
	echo "$@: $(MAKEDEPS)" >> build/$*.elf.deps

-include $(wildcard build/*.d)

clean::
	rm -rf build $(IMAGES:%=bin/%.elf)

expected::

# Build everything again in a scratch copy of guest-images and compare the images byte for byte.
check-reproducible:
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	cp -r $(GI_ROOT)/. "$$tmp/"; rm -rf "$$tmp/$(FOLDER)/build" "$$tmp/$(FOLDER)/bin"; \
	$(MAKE) --no-print-directory -s -C "$$tmp/$(FOLDER)" images >/dev/null; \
	for i in $(IMAGES); do cmp bin/$$i.elf "$$tmp/$(FOLDER)/bin/$$i.elf"; done; \
	echo "$(FOLDER): $(words $(IMAGES)) images reproduced byte for byte"
