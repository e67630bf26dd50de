#include "top/user_names.h"

#include <cerrno>
#include <pwd.h>
#include <unistd.h>

#include <vector>

namespace iotrace {
namespace {

std::optional<std::string> passwd_name(int uid) {
    long hint = sysconf(_SC_GETPW_R_SIZE_MAX);
    std::vector<char> buf(hint > 0 ? static_cast<size_t>(hint) : 4096);
    passwd pw{};
    passwd* found = nullptr;
    while (getpwuid_r(static_cast<uid_t>(uid), &pw, buf.data(), buf.size(), &found) == ERANGE && buf.size() < (1u << 20))
        buf.resize(buf.size() * 2);
    if (found == nullptr || found->pw_name == nullptr) return std::nullopt;
    return std::string(found->pw_name);
}

}  // namespace

UserNames::UserNames() : lookup_(passwd_name) {}

UserNames::UserNames(Lookup lookup) : lookup_(lookup ? std::move(lookup) : Lookup(passwd_name)) {}

const std::string& UserNames::name(int uid) {
    auto it = cache_.find(uid);
    if (it != cache_.end()) return it->second;
    std::string n;
    if (uid >= 0) n = lookup_(uid).value_or(std::to_string(uid));
    return cache_.emplace(uid, std::move(n)).first->second;
}

}  // namespace iotrace
