// Choosing the flame format (src/flame/format.h) and writing the file
// safely (src/flame/output.h): never through a symbolic link, owned by the
// sudo user.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "flame/format.h"
#include "flame/output.h"
#include "flame_test_util.h"
#include "util/failure.h"

namespace iotrace {
namespace {

using flame::Format;

TEST(FlameFormat, FromTheFileName) {
    EXPECT_EQ(flame::format_from_path("out.folded"), Format::Folded);
    EXPECT_EQ(flame::format_from_path("/tmp/x.collapsedstack.txt"), Format::Folded);
    EXPECT_EQ(flame::format_from_path("graph.svg"), Format::Svg);
    EXPECT_EQ(flame::format_from_path("a/b.speedscope.json"), Format::Speedscope);
    EXPECT_EQ(flame::format_from_path("-"), Format::Folded);
    EXPECT_EQ(flame::format_from_path("out.json"), std::nullopt);
    EXPECT_EQ(flame::format_from_path("out.txt"), std::nullopt);
    EXPECT_EQ(flame::format_from_path("out.SVG"), std::nullopt);
    EXPECT_EQ(flame::format_from_path("dir/.svg"), std::nullopt);
}

TEST(FlameFormat, RequestedWinsElseNameElseUsageError) {
    EXPECT_EQ(flame::choose_format("out.svg", Format::Speedscope), Format::Speedscope);
    EXPECT_EQ(flame::choose_format("out.txt", Format::Svg), Format::Svg);
    EXPECT_EQ(flame::choose_format("out.svg", std::nullopt), Format::Svg);
    try {
        flame::choose_format("out.txt", std::nullopt);
        FAIL() << "no error";
    } catch (const Failure& f) {
        EXPECT_EQ(f.exit_code(), kExitUsage);
        EXPECT_NE(std::string(f.what()).find("--format folded|svg|speedscope"), std::string::npos) << f.what();
    }
    EXPECT_EQ(flame::format_from_name("speedscope"), Format::Speedscope);
    EXPECT_EQ(flame::format_from_name("html"), std::nullopt);
}

class SafeOutput : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = testing::make_temp_dir();
        ASSERT_FALSE(dir_.empty());
        saved_uid_ = getenv("SUDO_UID") ? getenv("SUDO_UID") : "";
        saved_gid_ = getenv("SUDO_GID") ? getenv("SUDO_GID") : "";
        unsetenv("SUDO_UID");
        unsetenv("SUDO_GID");
    }
    void TearDown() override {
        std::filesystem::remove_all(dir_);
        restore("SUDO_UID", saved_uid_);
        restore("SUDO_GID", saved_gid_);
    }
    static void restore(const char* name, const std::string& value) {
        if (value.empty()) unsetenv(name);
        else setenv(name, value.c_str(), 1);
    }
    // The names in dir_, to see that no temporary file is left behind.
    std::vector<std::string> entries() const {
        std::vector<std::string> v;
        for (const auto& e : std::filesystem::directory_iterator(dir_)) v.push_back(e.path().filename().string());
        std::sort(v.begin(), v.end());
        return v;
    }
    std::string dir_, saved_uid_, saved_gid_;
};

TEST_F(SafeOutput, WritesAndReplaces) {
    std::string path = dir_ + "/out.folded";
    write_output(path, "a;b 1\n");
    EXPECT_EQ(testing::read_text_file(path), "a;b 1\n");
    write_output(path, "a;c 2\n");
    EXPECT_EQ(testing::read_text_file(path), "a;c 2\n");
    EXPECT_EQ(entries(), (std::vector<std::string>{"out.folded"}));
    struct stat st;
    ASSERT_EQ(stat(path.c_str(), &st), 0);
    mode_t mask = umask(0);
    umask(mask);
    EXPECT_EQ(st.st_mode & 0777, 0666 & ~mask);
}

TEST_F(SafeOutput, RefusesASymlinkAndLeavesItsTargetAlone) {
    std::string target = dir_ + "/precious";
    testing::write_text_file(target, "keep me\n");
    std::string link = dir_ + "/out.svg";
    ASSERT_EQ(symlink(target.c_str(), link.c_str()), 0);
    try {
        write_output(link, "<svg/>");
        FAIL() << "wrote through a symbolic link";
    } catch (const Failure& f) {
        EXPECT_EQ(f.exit_code(), kExitFailure);
        std::string msg = f.what();
        EXPECT_NE(msg.find(link), std::string::npos) << msg;
        EXPECT_NE(msg.find("is a symbolic link"), std::string::npos) << msg;
    }
    EXPECT_EQ(testing::read_text_file(target), "keep me\n");
    EXPECT_EQ(entries(), (std::vector<std::string>{"out.svg", "precious"}));
    // A dangling link too: it would otherwise create its target.
    std::string dangling = dir_ + "/dangling.svg";
    ASSERT_EQ(symlink((dir_ + "/created").c_str(), dangling.c_str()), 0);
    EXPECT_THROW(write_output(dangling, "x"), Failure);
    EXPECT_FALSE(std::filesystem::exists(dir_ + "/created"));
}

TEST_F(SafeOutput, ErrorsNameThePath) {
    EXPECT_THROW(write_output(dir_, "x"), Failure);  // a directory
    try {
        write_output(dir_ + "/no/such/dir/out.svg", "x");
        FAIL() << "no error";
    } catch (const Failure& f) {
        EXPECT_NE(std::string(f.what()).find(dir_ + "/no/such/dir"), std::string::npos) << f.what();
    }
    EXPECT_EQ(entries(), std::vector<std::string>{});
}

TEST_F(SafeOutput, OwnedByTheSudoUser) {
    if (geteuid() != 0) GTEST_SKIP() << "only root can give a file away (make test runs as root)";
    setenv("SUDO_UID", "65534", 1);
    setenv("SUDO_GID", "65533", 1);
    std::optional<Owner> owner = sudo_owner();
    ASSERT_TRUE(owner);
    EXPECT_EQ(owner->uid, 65534u);
    EXPECT_EQ(owner->gid, 65533u);
    std::string path = dir_ + "/out.speedscope.json";
    write_output(path, "{}\n");
    struct stat st;
    ASSERT_EQ(stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, 65534u);
    EXPECT_EQ(st.st_gid, 65533u);

    unsetenv("SUDO_GID");  // group left as it is
    write_output(path, "{}\n");
    ASSERT_EQ(stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, 65534u);
    EXPECT_EQ(st.st_gid, getegid());
}

TEST_F(SafeOutput, MalformedSudoIdsAreIgnored) {
    for (const char* bad : {"", "abc", "12x", "-1", "4294967295", "99999999999"}) {
        setenv("SUDO_UID", bad, 1);
        EXPECT_EQ(sudo_owner(), std::nullopt) << bad;
    }
    unsetenv("SUDO_UID");
    EXPECT_EQ(sudo_owner(), std::nullopt);
}

// -o /dev/null or a fifo: written in place, never renamed over (a rename
// would put a regular file where the device or pipe was).
TEST_F(SafeOutput, WritesAFifoInPlace) {
    std::string fifo = dir_ + "/pipe";
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    std::string got;
    std::thread reader([&] { got = testing::read_text_file(fifo); });
    write_output(fifo, "a;b 1\n");
    reader.join();
    EXPECT_EQ(got, "a;b 1\n");
    struct stat st;
    ASSERT_EQ(lstat(fifo.c_str(), &st), 0);
    EXPECT_TRUE(S_ISFIFO(st.st_mode));
    EXPECT_EQ(entries(), (std::vector<std::string>{"pipe"}));
}

}  // namespace
}  // namespace iotrace
