# Every library of the stack, from Debian's packages (installed by `make setup`).
find_package(PkgConfig REQUIRED)
pkg_check_modules(YAMLCPP REQUIRED IMPORTED_TARGET yaml-cpp)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(PQXX REQUIRED IMPORTED_TARGET libpqxx)
pkg_check_modules(PQ REQUIRED IMPORTED_TARGET libpq)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(CURL REQUIRED IMPORTED_TARGET libcurl)
pkg_check_modules(SSH2 REQUIRED IMPORTED_TARGET libssh2)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
# Template functions: Unicode character classes and case mapping as Go has them (ICU), sprig's
# AES (OpenSSL libcrypto) and bcrypt (libxcrypt).
pkg_check_modules(ICU REQUIRED IMPORTED_TARGET icu-uc)
pkg_check_modules(LIBCRYPTO REQUIRED IMPORTED_TARGET libcrypto)
pkg_check_modules(LIBXCRYPT REQUIRED IMPORTED_TARGET libcrypt)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(restinio REQUIRED)
find_package(CLI11 REQUIRED)
find_package(prometheus-cpp REQUIRED)
find_package(Boost 1.74 REQUIRED COMPONENTS filesystem system)
find_package(Threads REQUIRED)

# CAF 0.17 ships no CMake package: headers in /usr/include/caf, libraries caf_core and caf_io.
find_library(CAF_CORE_LIB caf_core REQUIRED)
find_library(CAF_IO_LIB caf_io REQUIRED)
add_library(utask_caf INTERFACE)
target_link_libraries(utask_caf INTERFACE ${CAF_CORE_LIB} ${CAF_IO_LIB} Threads::Threads)

# V8 from Debian's libnode: a system libnode-dev when installed, else the copy that
# scripts/setup.sh unpacks into third_party/libnode (see docs/building.md).
set(UTASK_LIBNODE_ROOT "${CMAKE_SOURCE_DIR}/third_party/libnode" CACHE PATH "Unpacked libnode108 + libnode-dev")
# Headers and library must come from the same root: the nodejs package also installs
# /usr/include/node, for a different V8.
if(EXISTS /usr/lib/x86_64-linux-gnu/libnode.so)
  set(V8_ROOT /usr)
else()
  set(V8_ROOT "${UTASK_LIBNODE_ROOT}/usr")
endif()
find_path(V8_INCLUDE_DIR v8.h PATHS "${V8_ROOT}/include/node" NO_DEFAULT_PATH)
find_library(V8_NODE_LIB NAMES node PATHS "${V8_ROOT}/lib/x86_64-linux-gnu" NO_DEFAULT_PATH)
if(NOT V8_INCLUDE_DIR OR NOT V8_NODE_LIB)
  message(FATAL_ERROR "V8 (libnode) not found: run `make setup` first")
endif()
get_filename_component(V8_LIB_DIR ${V8_NODE_LIB} DIRECTORY)
add_library(utask_v8 INTERFACE)
target_include_directories(utask_v8 SYSTEM INTERFACE ${V8_INCLUDE_DIR})
target_link_libraries(utask_v8 INTERFACE ${V8_NODE_LIB})
target_link_options(utask_v8 INTERFACE "-Wl,-rpath,${V8_LIB_DIR}")
message(STATUS "V8 from ${V8_NODE_LIB}")
# libnode is built without RTTI: the files that use V8 classes are too (a subclass of a V8
# class would reference V8 typeinfo that does not exist, and UBSan's vptr check would fail on
# V8's polymorphic objects).
set_source_files_properties(${CMAKE_SOURCE_DIR}/src/values/js/isolate_pool.cc
                            ${CMAKE_SOURCE_DIR}/src/values/js/in_process_engine.cc PROPERTIES COMPILE_OPTIONS -fno-rtti)
