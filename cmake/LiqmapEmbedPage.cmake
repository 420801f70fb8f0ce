# Compiles the interactive page's sources (host/report/page/heatmap.{html,css}, the JS modules
# axes.js, candles.js, liqmap.js and heatmap.js, in that order, as one script; live.js for the served page) into the library as strings;
# the sources stay plain files that an editor and a linter understand.
function(liqmap_embed_page out_var)
  set(dir ${PROJECT_SOURCE_DIR}/host/report/page)
  set(sources ${dir}/heatmap.html ${dir}/heatmap.css ${dir}/axes.js ${dir}/candles.js ${dir}/liqmap.js ${dir}/heatmap.js ${dir}/live.js)
  set(generated ${CMAKE_CURRENT_BINARY_DIR}/page_sources.cpp)
  add_custom_command(
    OUTPUT ${generated}
    COMMAND ${CMAKE_COMMAND} -DOUT=${generated} -DDIR=${dir}
            -P ${PROJECT_SOURCE_DIR}/cmake/LiqmapEmbedPageScript.cmake
    DEPENDS ${sources} ${PROJECT_SOURCE_DIR}/cmake/LiqmapEmbedPageScript.cmake
    COMMENT "Embedding the heatmap page"
    VERBATIM)
  set(${out_var} ${generated} PARENT_SCOPE)
endfunction()
