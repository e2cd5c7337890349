#include "server/cds/clients_file.h"

#include <simdjson.h>

#include <fstream>
#include <sstream>

namespace calfdvt::server::cds {
namespace {

using Clients = std::vector<TrustedClient>;

core::Result<std::string> ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::Result<std::string>::Invalid(path, "file", "cannot read the file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

core::Result<Clients> ParseClients(std::string_view json, const std::string& base_dir) {
  simdjson::dom::parser parser;
  simdjson::dom::object doc;
  if (parser.parse(json.data(), json.size()).get_object().get(doc) != simdjson::SUCCESS)
    return core::Result<Clients>::Invalid("", "json", "the CDS clients file must be a JSON object");
  for (auto field : doc) {
    if (field.key != "format" && field.key != "clients")
      return core::Result<Clients>::Invalid(std::string(field.key), "unknown_field",
                                            "unknown field (format, clients)");
  }
  std::string_view format;
  if (doc["format"].get_string().get(format) != simdjson::SUCCESS || format != kClientsFormat)
    return core::Result<Clients>::Invalid("format", "required",
                                          "must be \"" + std::string(kClientsFormat) + "\"");
  simdjson::dom::array list;
  if (doc["clients"].get_array().get(list) != simdjson::SUCCESS || list.size() == 0)
    return core::Result<Clients>::Invalid("clients", "required", "a non-empty array of clients");
  Clients out;
  size_t i = 0;
  for (simdjson::dom::element e : list) {
    const std::string path = "clients[" + std::to_string(i++) + "]";
    simdjson::dom::object o;
    if (e.get_object().get(o) != simdjson::SUCCESS)
      return core::Result<Clients>::Invalid(path, "type", "each client is a JSON object");
    for (auto field : o) {
      if (field.key != "iss" && field.key != "jwks" && field.key != "jwks_file" &&
          field.key != "label")
        return core::Result<Clients>::Invalid(path + "." + std::string(field.key), "unknown_field",
                                              "unknown field (iss, jwks, jwks_file, label)");
    }
    std::string_view iss;
    if (o["iss"].get_string().get(iss) != simdjson::SUCCESS || iss.empty())
      return core::Result<Clients>::Invalid(path + ".iss", "required", "the issuer URL is required");
    for (const auto& c : out)
      if (c.iss == iss)
        return core::Result<Clients>::Invalid(path + ".iss", "duplicate", "issuer listed twice");
    const bool inline_jwks = o["jwks"].error() == simdjson::SUCCESS;
    std::string_view file;
    const bool has_file = o["jwks_file"].get_string().get(file) == simdjson::SUCCESS;
    if (inline_jwks == has_file)
      return core::Result<Clients>::Invalid(path, "jwks", "give exactly one of jwks and jwks_file");
    std::string jwks_text;
    std::string jwks_path = path + ".jwks";
    if (inline_jwks) {
      jwks_text = simdjson::minify(o["jwks"].value_unsafe());
    } else {
      std::string full = std::string(file);
      if (!full.empty() && full.front() != '/' && !base_dir.empty()) full = base_dir + "/" + full;
      auto text = ReadAll(full);
      if (!text.ok()) return core::Result<Clients>(text.kind(), text.errors());
      jwks_text = std::move(text.value());
      jwks_path = path + ".jwks_file";
    }
    auto jwks = JwkSet::Parse(jwks_text, jwks_path);
    if (!jwks.ok()) return core::Result<Clients>(jwks.kind(), jwks.errors());
    out.push_back(TrustedClient{std::string(iss), std::move(jwks.value())});
  }
  return out;
}

core::Result<Clients> LoadClientsFile(const std::string& path) {
  auto text = ReadAll(path);
  if (!text.ok()) return core::Result<Clients>(text.kind(), text.errors());
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
  return ParseClients(*text, dir);
}

}  // namespace calfdvt::server::cds
