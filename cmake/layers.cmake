# Flags shared by every target (Taskflow's `tf::default_settings` shape).
add_library(utask_settings INTERFACE)
target_compile_options(utask_settings INTERFACE -Wall -Wextra -Wshadow -Wno-unused-parameter)
if(UTASK_WERROR)
  target_compile_options(utask_settings INTERFACE -Werror)
endif()
if(UTASK_SANITIZERS)
  target_compile_options(utask_settings INTERFACE -fsanitize=${UTASK_SANITIZERS} -fno-omit-frame-pointer
                                                  -fno-sanitize-recover=all)
  target_link_options(utask_settings INTERFACE -fsanitize=${UTASK_SANITIZERS})
  # The V8 files are built without RTTI (libnode has none): UBSan's vptr check then misreads
  # objects (shared_ptr control blocks) created in those files, so it is left out.
  if(UTASK_SANITIZERS MATCHES "undefined")
    target_compile_options(utask_settings INTERFACE -fno-sanitize=vptr)
    target_link_options(utask_settings INTERFACE -fno-sanitize=vptr)
  endif()
endif()
target_include_directories(utask_settings INTERFACE ${CMAKE_SOURCE_DIR}/src ${CMAKE_BINARY_DIR}/generated)

# utask_add_layer(NAME DEPS ...): libutask_NAME.a from every .cc under src/NAME (recursively).
# A folder without sources yet yields an INTERFACE library so the arrows stay declared.
function(utask_add_layer name)
  cmake_parse_arguments(L "" "" "DEPS" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/${name}/*.cc)
  if(sources)
    add_library(utask_${name} STATIC ${sources})
    target_link_libraries(utask_${name} PUBLIC utask_settings ${L_DEPS})
  else()
    add_library(utask_${name} INTERFACE)
    target_link_libraries(utask_${name} INTERFACE utask_settings ${L_DEPS})
  endif()
endfunction()
