#include "server/http.h"

#include "core/json_writer.h"

namespace calfdvt::server {
namespace {

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void WriteErrorObject(core::JsonWriter& w, std::string_view code, std::string_view message,
                      std::string_view path) {
  w.Key("error").BeginObject();
  w.Key("code").String(code);
  w.Key("message").String(message);
  w.Key("path").String(path);
  w.EndObject();
}

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
  }
  return true;
}

void Headers::Add(std::string name, std::string value) {
  fields_.emplace_back(std::move(name), std::move(value));
}

void Headers::Set(std::string_view name, std::string value) {
  std::erase_if(fields_, [&](const Field& f) { return EqualsIgnoreCase(f.first, name); });
  fields_.emplace_back(std::string(name), std::move(value));
}

std::optional<std::string_view> Headers::Get(std::string_view name) const {
  for (const Field& f : fields_) {
    if (EqualsIgnoreCase(f.first, name)) return std::string_view(f.second);
  }
  return std::nullopt;
}

std::optional<std::string_view> Request::QueryParam(std::string_view name) const {
  for (const auto& [k, v] : query) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

bool PercentDecode(std::string_view in, bool plus_as_space, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      const int hi = HexValue(in[i + 1]);
      const int lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return true;
}

core::Status ParseTarget(std::string_view target, Request& request) {
  request.target.assign(target);
  if (target.empty() || target.front() != '/') {
    return core::Status::Invalid("target", "target", "request target must start with '/'");
  }
  const size_t q = target.find('?');
  std::string_view path = target.substr(0, q);
  // Fragments are never sent by clients; drop one defensively.
  if (const size_t h = path.find('#'); h != std::string_view::npos) path = path.substr(0, h);
  QueryParams query;
  if (q != std::string_view::npos) {
    std::string_view rest = target.substr(q + 1);
    if (const size_t h = rest.find('#'); h != std::string_view::npos) rest = rest.substr(0, h);
    while (!rest.empty()) {
      const size_t amp = rest.find('&');
      const std::string_view pair = rest.substr(0, amp);
      rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
      if (pair.empty()) continue;
      const size_t eq = pair.find('=');
      std::string name, value;
      if (!PercentDecode(pair.substr(0, eq), true, name) ||
          (eq != std::string_view::npos && !PercentDecode(pair.substr(eq + 1), true, value))) {
        return core::Status::Invalid("target", "target", "malformed percent escape in query");
      }
      query.emplace_back(std::move(name), std::move(value));
    }
  }
  // Validate escapes in the path now so handlers never see a half-decodable path.
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '%' &&
        (i + 2 >= path.size() || HexValue(path[i + 1]) < 0 || HexValue(path[i + 2]) < 0)) {
      return core::Status::Invalid("target", "target", "malformed percent escape in path");
    }
  }
  request.path.assign(path);
  request.query = std::move(query);
  return core::OkStatus();
}

Request MakeRequest(std::string method, std::string_view target, std::string body,
                    Headers headers) {
  Request r;
  r.method = std::move(method);
  if (!ParseTarget(target, r).ok()) {
    r.path.assign(target);
    r.query.clear();
  }
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

Response Json(int status, std::string body) {
  Response r;
  r.status = status;
  r.content_type = std::string(kJsonContentType);
  r.body = std::move(body);
  return r;
}

Response Text(int status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

Response NoContent() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

Response Error(int status, std::string code, std::string message, std::string path) {
  std::string body;
  body.reserve(64 + code.size() + message.size() + path.size());
  core::JsonWriter w(body);
  w.BeginObject();
  WriteErrorObject(w, code, message, path);
  w.EndObject();
  return Json(status, std::move(body));
}

Response ErrorResponse(const core::Errors& errors, core::ErrorKind kind) {
  int status = 500;
  std::string_view code = "internal";
  switch (kind) {
    case core::ErrorKind::kInvalidInput: {
      bool all_state = !errors.empty();
      for (const core::Error& e : errors) all_state = all_state && e.rule == "episode_state";
      status = all_state ? 422 : 400;
      code = all_state ? "episode_state" : "invalid_input";
      break;
    }
    case core::ErrorKind::kNotFound:
      status = 404;
      code = "not_found";
      break;
    case core::ErrorKind::kConflict:
      status = 409;
      code = "conflict";
      break;
    case core::ErrorKind::kInternal:
      break;
  }

  std::string body;
  core::JsonWriter w(body);
  w.BeginObject();
  if (status == 500) {
    WriteErrorObject(w, code, "internal server error", "");
    w.EndObject();
    return Json(status, std::move(body));
  }

  const core::Error first =
      errors.empty() ? core::Error{"", "", std::string(ReasonPhrase(status))} : errors.front();
  std::string message = first.message;
  if (status == 409) {
    if (!message.empty()) message += "; ";
    message += "the resource changed since it was read: re-read it and retry";
  }
  WriteErrorObject(w, code, message, first.path);
  w.Key("errors").BeginArray();
  for (const core::Error& e : errors) {
    w.BeginObject();
    w.Key("path").String(e.path);
    w.Key("rule").String(e.rule);
    w.Key("message").String(e.message);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return Json(status, std::move(body));
}

std::string_view ReasonPhrase(int status) {
  // clang-format off
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return "";
  }
  // clang-format on
}

}  // namespace calfdvt::server
