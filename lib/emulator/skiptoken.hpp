// The opaque $skiptoken of the deleted-items list: the sort key of the last item already sent,
// so a page boundary survives items being added or removed between pages.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace xtsync::emulator {

struct PageKey {
  std::string deleted_date_time;
  std::string tenant_id;

  auto operator<=>(const PageKey&) const = default;
};

std::string encode_skiptoken(const PageKey& key);
// nullopt when the text is not a token this emulator issued.
std::optional<PageKey> decode_skiptoken(std::string_view token);

}  // namespace xtsync::emulator
