#include "actions/ping/ping_action.h"

#include <algorithm>
#include <cmath>

#include "actions/catalog.h"
#include "actions/ping/icmp_echo.h"

namespace utask::actions {
namespace {

const std::vector<ConfigField> kFields = {{"hostname", FieldType::string},
                                          {"count", FieldType::string},
                                          {"interval_second", FieldType::string}};

struct PingConfig {
  std::string hostname;
  std::string count;
  std::string interval_second;
};

Result<PingConfig> decode(const Json& base, const Json& configuration) {
  auto config = decode_typed_configuration(base, configuration, kFields);
  if (!config) return config.error();
  PingConfig out;
  auto text = [&](const char* key) {
    auto it = config->find(key);
    return it != config->end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  out.hostname = text("hostname");
  out.count = text("count");
  out.interval_second = text("interval_second");
  return out;
}

bool templated(const std::string& s) { return s.find("{{") != std::string::npos; }

// Go's strconv.ParseUint(s, 10, 64); "" means the default (1).
Result<uint64_t> parse_uint(const std::string& value, const char* field) {
  if (value.empty()) return uint64_t{1};
  uint64_t n = 0;
  bool overflow = false;
  for (char c : value) {
    if (c < '0' || c > '9') {
      return Error::invalid_template(std::string("can't parse ") + field + " field \"" + value +
                                     "\": strconv.ParseUint: parsing \"" + value +
                                     "\": invalid syntax");
    }
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (n > (UINT64_MAX - digit) / 10) overflow = true;
    n = n * 10 + digit;
  }
  if (overflow) {
    return Error::invalid_template(std::string("can't parse ") + field + " field \"" + value +
                                   "\": strconv.ParseUint: parsing \"" + value +
                                   "\": value out of range");
  }
  return n == 0 ? uint64_t{1} : n;
}

Result<void> check(const PingConfig& c, bool deferred) {
  if (c.hostname.empty()) return Error::invalid_template("hostname is missing");
  if (!(deferred && templated(c.count))) {
    if (auto n = parse_uint(c.count, "count"); !n) return n.error();
  }
  if (!(deferred && templated(c.interval_second))) {
    if (auto n = parse_uint(c.interval_second, "interval_second"); !n) return n.error();
  }
  return {};
}

Json metadata_of(const PingConfig& c) {
  Json m{{"hostname", c.hostname}};
  if (!c.count.empty()) m["count"] = c.count;
  if (!c.interval_second.empty()) m["interval_second"] = c.interval_second;
  return m;
}

Json output_of(const ping::EchoStats& s) {
  Json rtts = Json::array();
  int64_t min = 0, max = 0;
  double sum = 0;
  for (size_t i = 0; i < s.rtts.size(); ++i) {
    const int64_t ns = s.rtts[i].count();
    rtts.push_back(ns);
    if (i == 0 || ns < min) min = ns;
    if (i == 0 || ns > max) max = ns;
    sum += static_cast<double>(ns);
  }
  const double n = static_cast<double>(s.rtts.size());
  const double avg = n > 0 ? sum / n : 0;
  double variance = 0;
  for (const auto& r : s.rtts) variance += std::pow(static_cast<double>(r.count()) - avg, 2);
  const double std_dev = n > 0 ? std::sqrt(variance / n) : 0;
  double loss = s.sent > 0 ? 100.0 * static_cast<double>(s.sent - s.received) / static_cast<double>(s.sent) : 0;
  if (!std::isfinite(loss)) loss = 0;
  return Json{{"packets_received", s.received},
              {"packets_sent", s.sent},
              {"packet_loss", loss},
              {"ip_addr", s.ip_addr},
              {"rtts", std::move(rtts)},
              {"min_rtt", min},
              {"max_rtt", max},
              {"avg_rtt", static_cast<int64_t>(avg)},
              {"std_dev_rtt", static_cast<int64_t>(std_dev)}};
}

}  // namespace

Result<void> PingAction::validate(const Json& base, const Json& configuration) const {
  auto config = decode(base, configuration);
  if (!config) return config.error();
  return check(*config, true);
}

std::vector<std::string> PingAction::resources(const Json& configuration) const {
  std::string host;
  if (configuration.is_object()) {
    auto it = configuration.find("hostname");
    if (it != configuration.end() && it->is_string()) host = it->get<std::string>();
  }
  return {"socket", "url:" + host};
}

ActionResult PingAction::execute(const ExecutionRequest& request) const {
  auto config = decode(request.base_configuration, request.configuration);
  if (!config) return ActionResult::failure(ErrorKind::client, config.error().message);
  if (auto checked = check(*config, false); !checked) {
    return ActionResult::failure(ErrorKind::client, checked.error().message);
  }
  ping::EchoSpec spec;
  spec.host = config->hostname;
  spec.count = *parse_uint(config->count, "count");
  // An interval beyond a day is taken as a day: the wait stays representable.
  spec.interval = std::chrono::seconds(
      std::min<uint64_t>(*parse_uint(config->interval_second, "interval_second"), 86400));
  spec.linger = linger_;
  spec.cancelled = request.cancelled;
  auto stats = ping::run_echo(spec);
  ActionResult result;
  result.metadata = metadata_of(*config);
  if (!stats) {
    result.error = ActionError{ErrorKind::server, "can't initiate ping: " + stats.error().message};
    return result;
  }
  if (stats->interrupted) {
    result.error = ActionError{ErrorKind::not_provisioned, "interrupted"};
    return result;
  }
  result.output = output_of(*stats);
  return result;
}

}  // namespace utask::actions
