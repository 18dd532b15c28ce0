#include "auth/cloud.hpp"

#include "error.hpp"
#include "http/url.hpp"

namespace xtsync::auth {

Cloud cloud_by_name(const std::string& name) {
  if (name == "global") {
    return {name, "https://graph.microsoft.com", "https://login.microsoftonline.com", "api://AzureADTokenExchange"};
  }
  if (name == "usgov") {
    return {name, "https://graph.microsoft.us", "https://login.microsoftonline.us", "api://AzureADTokenExchangeUSGov"};
  }
  if (name == "usgov-dod") {
    return {name, "https://dod-graph.microsoft.us", "https://login.microsoftonline.us",
            "api://AzureADTokenExchangeUSGov"};
  }
  if (name == "china") {
    // Graph's deployment docs and the Azure SDKs use login.chinacloudapi.cn; --authority-url overrides.
    return {name, "https://microsoftgraph.chinacloudapi.cn", "https://login.chinacloudapi.cn",
            "api://AzureADTokenExchangeChina"};
  }
  throw usage_error("unknown cloud '" + name + "' (use global, usgov, usgov-dod or china)");
}

std::string normalize_authority(const std::string& value) {
  std::string url = value.find("://") == std::string::npos ? "https://" + value : value;
  while (!url.empty() && url.back() == '/') url.pop_back();
  const auto parsed = http::parse_url(url);
  if (!parsed.tls() && !http::is_loopback_host(parsed.host)) {
    throw usage_error("authority '" + value + "' must use https:// (http:// only for loopback hosts)");
  }
  return url;
}

}  // namespace xtsync::auth
