# Writes the bytes of INPUT into OUTPUT as a C++ array named SYMBOL (with SYMBOL##Size) in
# NAMESPACE, so data files ship inside the binary byte for byte (a knowledge file's SHA-256 is the
# file's own).
if(NOT SYMBOL)
  set(SYMBOL kEmbeddedKnowledge)
endif()
if(NOT NAMESPACE)
  set(NAMESPACE calfdvt::formats)
endif()
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR size "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE "${OUTPUT}" "// Generated from ${INPUT} by cmake/embed.cmake. Do not edit.\n#include <cstddef>\nnamespace ${NAMESPACE} {\nextern const unsigned char ${SYMBOL}[] = {${bytes}};\nextern const std::size_t ${SYMBOL}Size = ${size};\n}  // namespace ${NAMESPACE}\n")
