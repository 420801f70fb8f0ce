# The CUDA toolkit as CMake's FindCUDAToolkit finds it (CUDAToolkit_ROOT, CUDACXX, nvcc on the
# PATH, or the toolkit's usual place), also for the Thrust headers of the OpenMP device build.
# CUDA is optional: enabled when nvcc is found. LIQMAP_CUDA=ON without nvcc is an error; the
# architectures are fixed (never "native": CI has no GPU).
find_package(CUDAToolkit QUIET)

set(LIQMAP_HAVE_CUDA OFF)
if(NOT LIQMAP_CUDA STREQUAL "OFF")
  if(NOT CMAKE_CUDA_COMPILER AND CUDAToolkit_NVCC_EXECUTABLE)
    set(CMAKE_CUDA_COMPILER ${CUDAToolkit_NVCC_EXECUTABLE})
  endif()
  include(CheckLanguage)
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
      set(CMAKE_CUDA_ARCHITECTURES 90)
    endif()
    enable_language(CUDA)
    find_package(CUDAToolkit REQUIRED)
    set(CMAKE_CUDA_STANDARD 17)
    set(CMAKE_CUDA_STANDARD_REQUIRED ON)
    set(LIQMAP_HAVE_CUDA ON)
  elseif(LIQMAP_CUDA STREQUAL "ON")
    message(FATAL_ERROR "LIQMAP_CUDA=ON but no CUDA compiler (nvcc) was found")
  endif()
endif()
message(STATUS "liqmap: CUDA backend: ${LIQMAP_HAVE_CUDA}"
               " (architectures: ${CMAKE_CUDA_ARCHITECTURES})")

# Thrust/CUB/libcu++ headers for the OpenMP build of the device pipeline: the toolkit's.
find_path(LIQMAP_CCCL_INCLUDE_DIR thrust/version.h
  HINTS ${CUDAToolkit_INCLUDE_DIRS} PATH_SUFFIXES cccl)
if(LIQMAP_OMP_DEVICE AND NOT LIQMAP_CCCL_INCLUDE_DIR)
  message(WARNING "Thrust headers not found: the OpenMP build of the device pipeline is off")
  set(LIQMAP_OMP_DEVICE OFF)
endif()
