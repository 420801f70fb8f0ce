# Compiles the margin schedules (data/schedules/*.json) into the library, so the binary works
# anywhere; users add their own with a path in the config.
function(liqmap_embed_schedules out_var)
  file(GLOB schedule_files CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/data/schedules/*.json)
  list(SORT schedule_files)
  string(REPLACE ";" "|" schedule_list "${schedule_files}")
  set(generated ${CMAKE_CURRENT_BINARY_DIR}/builtin_schedules.cpp)
  add_custom_command(
    OUTPUT ${generated}
    COMMAND ${CMAKE_COMMAND} -DOUT=${generated} "-DFILES=${schedule_list}"
            -P ${PROJECT_SOURCE_DIR}/cmake/LiqmapEmbedScript.cmake
    DEPENDS ${schedule_files} ${PROJECT_SOURCE_DIR}/cmake/LiqmapEmbedScript.cmake
    COMMENT "Embedding margin schedules"
    VERBATIM)
  set(${out_var} ${generated} PARENT_SCOPE)
endfunction()
