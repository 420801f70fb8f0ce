# cmake -DPYTHON=python3 -DSOURCE=<repo> -DWORK=<dir> -DLIBRARY=libliqmap.so.0 -DCLI=liqmap
#       -P pip_install_venv.cmake
# A user's install: a fresh venv (with Debian's numpy/pandas through --system-site-packages),
# `pip install --no-build-isolation --no-index` of a copy of python/ (offline; the built library
# and CLI are taken through LIQMAP_LIBRARY / LIQMAP_CLI rather than built again), then the
# first-session script and the whole Python suite with the venv's interpreter.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
function(run)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY ${WORK} RESULT_VARIABLE failed)
  if(failed)
    list(JOIN ARGN " " command)
    message(FATAL_ERROR "failed (${failed}): ${command}")
  endif()
endfunction()
run(${PYTHON} -m venv --system-site-packages ${WORK}/venv)
file(COPY ${SOURCE}/python/ DESTINATION ${WORK}/package PATTERN __pycache__ EXCLUDE
     PATTERN build EXCLUDE PATTERN *.egg-info EXCLUDE)
run(${CMAKE_COMMAND} -E env LIQMAP_LIBRARY=${LIBRARY} LIQMAP_CLI=${CLI} LIQMAP_SOURCE_DIR=${SOURCE}
    ${WORK}/venv/bin/pip install --quiet --no-build-isolation --no-index --no-deps ${WORK}/package)
set(python ${WORK}/venv/bin/python)
# Nothing of the build tree may leak in: the package must find its own library and CLI.
run(${CMAKE_COMMAND} -E env --unset=LIQMAP_LIBRARY --unset=LIQMAP_CLI --unset=PYTHONPATH
    ${python} ${SOURCE}/python/tests/pip_smoke.py ${WORK}/venv)
run(${CMAKE_COMMAND} -E env --unset=LIQMAP_LIBRARY --unset=LIQMAP_CLI --unset=PYTHONPATH
    LIQMAP_TEST_TMP=${WORK}/tmp ${python} -m unittest discover -s ${SOURCE}/python/tests)
