# UAX #14 class table, generated at build time from Debian's unicode-data
# (the project carries no copy of the Unicode data).
set(DP_UCD_DIR /usr/share/unicode CACHE PATH
    "Directory of the Unicode Character Database (Debian package unicode-data)")
set(DP_LB_INPUTS
    ${DP_UCD_DIR}/LineBreak.txt
    ${DP_UCD_DIR}/EastAsianWidth.txt
    ${DP_UCD_DIR}/extracted/DerivedGeneralCategory.txt
    ${DP_UCD_DIR}/emoji/emoji-data.txt)
foreach(f ${DP_LB_INPUTS})
  if(NOT EXISTS ${f})
    message(FATAL_ERROR
      "${f} is missing: install the Debian package unicode-data "
      "(apt-get install unicode-data), or point DP_UCD_DIR at a Unicode 15.0 UCD.")
  endif()
endforeach()

add_executable(dp_lbgen ${CMAKE_CURRENT_LIST_DIR}/gen/lbgen.c)
target_include_directories(dp_lbgen PRIVATE ${CMAKE_CURRENT_LIST_DIR}/gen)

set(DP_LB_TABLE ${CMAKE_CURRENT_BINARY_DIR}/lb_table.c)
add_custom_command(
  OUTPUT ${DP_LB_TABLE}
  COMMAND dp_lbgen ${DP_LB_INPUTS} ${DP_LB_TABLE}
  DEPENDS dp_lbgen ${DP_LB_INPUTS}
  COMMENT "Generating the UAX #14 line-break table from ${DP_UCD_DIR}")
target_sources(digestpdf_core PRIVATE ${DP_LB_TABLE})
