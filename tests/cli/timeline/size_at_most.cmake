# size_at_most.cmake: -DFILE=path -DMAX=bytes: the file exists and is at most MAX bytes.
if(NOT EXISTS ${FILE})
  message(FATAL_ERROR "${FILE} does not exist")
endif()
file(SIZE ${FILE} size)
if(size GREATER ${MAX})
  message(FATAL_ERROR "${FILE} is ${size} bytes, more than ${MAX}")
endif()
message(STATUS "${FILE}: ${size} bytes")
