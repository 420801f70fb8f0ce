# Warnings for our own code (not for third-party headers); errors unless LIQMAP_WERROR is off
# (the GPU check turns it off: another machine's compiler may warn where ours does not).
function(liqmap_warnings target)
  set(werror $<$<BOOL:${LIQMAP_WERROR}>:-Werror>)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow ${werror}>
    $<$<COMPILE_LANGUAGE:C>:-Wall -Wextra -Wpedantic ${werror}>)
endfunction()
