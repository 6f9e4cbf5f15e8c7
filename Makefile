# µTask entry points. `make run` and `make test` set up and build what they need themselves.
BUILD_TYPE ?= Debug
BUILD_DIR  ?= build
JOBS       ?= $(shell nproc)
CMAKE_ARGS ?=

.PHONY: all setup configure build release run test test-fast clean

all: build

# Installs every Debian package the build, the tests and `make run` need (idempotent).
setup:
	@bash scripts/setup.sh

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_ARGS)

configure: $(BUILD_DIR)/CMakeCache.txt

build: setup configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

release:
	$(MAKE) build BUILD_TYPE=Release BUILD_DIR=build-release

# Starts the server with the development configuration of config/ (admin:1234).
run: build
	bash scripts/run-dev.sh $(BUILD_DIR)/utask

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 600

clean:
	rm -rf $(BUILD_DIR) build-release
