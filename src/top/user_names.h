// uid -> user name for the USER column, looked up once per uid (getpwuid_r)
// and cached: the only thing the view asks the OS. A test passes its own
// lookup.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>

namespace iotrace {

class UserNames {
public:
    using Lookup = std::function<std::optional<std::string>(int uid)>;

    UserNames();                        // the passwd database (getpwuid_r)
    explicit UserNames(Lookup lookup);  // an empty lookup also means the passwd database

    // "" for uid -1 (unknown); the uid as a number when it has no name.
    const std::string& name(int uid);

private:
    Lookup lookup_;
    std::unordered_map<int, std::string> cache_;
};

}  // namespace iotrace
