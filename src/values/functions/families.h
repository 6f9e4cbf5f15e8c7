#pragma once
// One registration function per family file (STYLE §13); default_function_table calls them.

#include "values/function_table.h"

namespace utask::values::fn {

void add_string_functions(FunctionTable& t);                              // strings.cc
void add_string_list_functions(FunctionTable& t);                         // string_lists.cc
void add_conversion_functions(FunctionTable& t);                          // conversion.cc
void add_math_functions(FunctionTable& t);                                // math.cc
void add_default_functions(FunctionTable& t);                             // defaults.cc
void add_encoding_functions(FunctionTable& t);                            // encoding.cc
void add_json_functions(FunctionTable& t);                                // json.cc
void add_list_functions(FunctionTable& t);                                // lists.cc
void add_dict_functions(FunctionTable& t);                                // dicts.cc
void add_regex_functions(FunctionTable& t);                               // regex.cc
void add_semver_functions(FunctionTable& t);                              // semver.cc
void add_path_functions(FunctionTable& t);                                // paths.cc
void add_date_functions(FunctionTable& t);                                // dates.cc
void add_crypto_functions(FunctionTable& t);                              // crypto.cc
void add_reflection_functions(FunctionTable& t);                          // reflection.cc
void add_url_functions(FunctionTable& t);                                 // urls.cc
void add_os_functions(FunctionTable& t, const FunctionOptions& options);  // os.cc
void add_utask_functions(FunctionTable& t);                               // utask.cc

}  // namespace utask::values::fn
