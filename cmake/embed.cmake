# Writes the bytes of INPUT into OUTPUT as a C++ array, so the default knowledge file ships inside
# the binary byte for byte (its SHA-256 is the file's).
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR size "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE "${OUTPUT}" "// Generated from knowledge/distal-dvt.json by cmake/embed.cmake. Do not edit.\n#include <cstddef>\nnamespace calfdvt::formats {\nextern const unsigned char kEmbeddedKnowledge[] = {${bytes}};\nextern const std::size_t kEmbeddedKnowledgeSize = ${size};\n}  // namespace calfdvt::formats\n")
