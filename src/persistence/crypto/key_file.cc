#include "persistence/crypto/key_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <system_error>
#include <utility>

#include "persistence/crypto/cipher.h"

namespace utask::persistence {
namespace {

// A key configuration is a few hundred bytes; anything far larger is not a key file.
constexpr off_t kMaxKeyFileBytes = 64 * 1024;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now, reporting the outcome (a write error may only show at close).
  int close() { return ::close(std::exchange(fd_, -1)); }

 private:
  int fd_;
};

Error file_error(const std::filesystem::path& path, const std::string& message) {
  return Error::invalid_config("key file " + path.string() + ": " + message);
}

std::string system_message(int error) { return std::generic_category().message(error); }

void wipe(std::string& s) {
  sodium_memzero(s.data(), s.size());
  s.clear();
}

Result<KeyFileKey> read_key_file(int fd, const std::filesystem::path& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return file_error(path, "cannot stat: " + system_message(errno));
  if (!S_ISREG(st.st_mode)) return file_error(path, "not a regular file");
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return file_error(path, std::string("is accessible to group or others (mode ") + mode +
                                "); it holds the storage key: restrict it with `chmod 600 " +
                                path.string() + "`");
  }
  if (st.st_size > kMaxKeyFileBytes)
    return file_error(path, "too large for a key file (" + std::to_string(st.st_size) + " bytes)");

  std::string content;
  char buffer[4096];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int error = errno;
      sodium_memzero(buffer, sizeof buffer);
      wipe(content);
      return file_error(path, "cannot read: " + system_message(error));
    }
    if (n == 0) break;
    content.append(buffer, static_cast<size_t>(n));
    if (content.size() > static_cast<size_t>(kMaxKeyFileBytes)) break;
  }
  sodium_memzero(buffer, sizeof buffer);
  auto key = config::parse_key_config(content);
  wipe(content);
  if (!key) return file_error(path, key.error().message);
  if (key->identifier != config::kStorageKeyIdentifier)
    return file_error(path, "holds a key with identifier \"" + key->identifier + "\", expected \"" +
                                config::kStorageKeyIdentifier + "\"");
  if (key->sealed)
    return file_error(path, "holds a sealed key; a key file must hold the key itself");
  return KeyFileKey{std::move(*key), false};
}

Result<KeyFileKey> open_and_read(const std::filesystem::path& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return file_error(path, "cannot open: " + system_message(errno));
  return read_key_file(fd.get(), path);
}

Result<void> write_all(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error::internal(system_message(errno));
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return Error::internal(system_message(errno));
  return {};
}

// Makes the new directory entry durable; best effort, as some file systems refuse it.
void sync_directory(const std::filesystem::path& dir) {
  Fd fd(::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() >= 0) ::fsync(fd.get());
}

Result<KeyFileKey> create_key_file(const std::filesystem::path& path) {
  config::KeyConfig key;
  key.identifier = config::kStorageKeyIdentifier;
  key.cipher = config::Cipher::xchacha20_poly1305;
  key.timestamp = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  key.material.assign(kCipherKeyBytes, '\0');
  randombytes_buf(key.material.data(), key.material.size());

  std::string hex(2 * kCipherKeyBytes + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(),
                 reinterpret_cast<const unsigned char*>(key.material.data()), key.material.size());
  hex.pop_back();  // the terminating NUL
  std::string text = std::string(R"({"identifier":")") + config::kStorageKeyIdentifier +
                     R"(","cipher":")" + config::to_string(key.cipher) + R"(","timestamp":)" +
                     std::to_string(key.timestamp) + R"(,"key":")" + hex + "\"}\n";
  wipe(hex);

  // mkstemp opens with O_CREAT | O_EXCL and mode 0600.
  std::string temp = path.string() + ".tmp-XXXXXX";
  Fd fd(::mkstemp(temp.data()));
  if (fd.get() < 0) {
    wipe(text);
    return file_error(path, "cannot create: " + system_message(errno));
  }
  auto written = write_all(fd.get(), text);
  wipe(text);
  if (written && fd.close() != 0) written = Error::internal(system_message(errno));
  if (!written) {
    ::unlink(temp.c_str());
    return file_error(path, "cannot write: " + written.error().message);
  }
  // link() never replaces an existing name: whoever links first owns the key file.
  const int linked = ::link(temp.c_str(), path.c_str());
  const int link_error = errno;
  ::unlink(temp.c_str());
  if (linked != 0 && link_error == EEXIST) return open_and_read(path);
  if (linked != 0) return file_error(path, "cannot create: " + system_message(link_error));
  sync_directory(path.parent_path());
  return KeyFileKey{std::move(key), true};
}

}  // namespace

Result<KeyFileKey> load_or_create_key_file(const std::filesystem::path& path) {
  if (auto init = init_sodium(); !init) return init.error();
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() >= 0) return read_key_file(fd.get(), path);
  if (errno != ENOENT) return file_error(path, "cannot open: " + system_message(errno));
  return create_key_file(path);
}

}  // namespace utask::persistence
