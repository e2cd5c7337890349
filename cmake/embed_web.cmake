# Embeds the built web app (every file under DIR, normally web/dist) into OUTPUT as a C++ table of
# calfdvt::server::StaticFile {name, content} (see src/server/static_files.h). Run at build time,
# so the table always matches the current web/dist; OUTPUT is rewritten only when it changes.
# Without DIR/index.html (no front-end build: Node.js/npm missing) the table is empty and the
# server answers "/" with a page saying how to build the app.
file(GLOB_RECURSE files RELATIVE "${DIR}" "${DIR}/*")
list(SORT files)
set(arrays "")
set(entries "")
set(count 0)
if(EXISTS "${DIR}/index.html")
  foreach(f IN LISTS files)
    file(READ "${DIR}/${f}" hex HEX)
    string(LENGTH "${hex}" hex_len)
    math(EXPR size "${hex_len} / 2")
    string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
    string(APPEND arrays "const unsigned char kFile${count}[] = {${bytes}0x00};\n")
    string(APPEND entries "    {\"${f}\", std::string_view(reinterpret_cast<const char*>(kFile${count}), ${size})},\n")
    math(EXPR count "${count} + 1")
  endforeach()
endif()
if(count EQUAL 0)
  set(entries "    {\"\", std::string_view()},\n")
endif()
set(text "// Generated from ${DIR} by cmake/embed_web.cmake. Do not edit.
#include <cstddef>
#include <string_view>

#include \"server/static_files.h\"

namespace calfdvt::server {
namespace {
${arrays}}  // namespace
extern const StaticFile kEmbeddedWebFiles[] = {
${entries}};
extern const size_t kEmbeddedWebFileCount = ${count};
}  // namespace calfdvt::server
")
file(WRITE "${OUTPUT}.tmp" "${text}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
