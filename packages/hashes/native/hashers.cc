#include "hashers.h"

// Node's OpenSSL: its headers ship with Node and the node binary exports its symbols to addons.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/md5.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace pwguard {
namespace {

const char kItoa64[] = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const char kApr1[] = "$apr1$";

bool StartsWith(const std::string& s, const char* prefix) {
  return s.compare(0, std::strlen(prefix), prefix) == 0;
}

void To64(std::string* out, unsigned long v, int n) {
  while (n-- > 0) {
    out->push_back(kItoa64[v & 0x3f]);
    v >>= 6;
  }
}

// md5crypt (Kamp's algorithm, from its description) with Apache's magic "$apr1$".
bool Apr1(const std::string& pw, const std::string& setting, std::string* out) {
  size_t start = sizeof kApr1 - 1;
  size_t end = setting.find('$', start);
  if (end == std::string::npos) end = setting.size();
  std::string salt = setting.substr(start, std::min<size_t>(end - start, 8));
  unsigned char alt[16], f[16];
  MD5_CTX c;
  MD5_Init(&c);
  MD5_Update(&c, pw.data(), pw.size());
  MD5_Update(&c, salt.data(), salt.size());
  MD5_Update(&c, pw.data(), pw.size());
  MD5_Final(alt, &c);
  MD5_Init(&c);
  MD5_Update(&c, pw.data(), pw.size());
  MD5_Update(&c, kApr1, sizeof kApr1 - 1);
  MD5_Update(&c, salt.data(), salt.size());
  for (size_t left = pw.size(); left > 0; left -= std::min<size_t>(left, 16)) MD5_Update(&c, alt, std::min<size_t>(left, 16));
  const unsigned char zero = 0;
  for (size_t i = pw.size(); i > 0; i >>= 1) MD5_Update(&c, (i & 1) ? &zero : reinterpret_cast<const unsigned char*>(pw.data()), 1);
  MD5_Final(f, &c);
  // 1000 rounds whose input order depends on the round number: the scheme's only cost.
  for (int i = 0; i < 1000; i++) {
    MD5_Init(&c);
    if (i & 1) MD5_Update(&c, pw.data(), pw.size()); else MD5_Update(&c, f, 16);
    if (i % 3) MD5_Update(&c, salt.data(), salt.size());
    if (i % 7) MD5_Update(&c, pw.data(), pw.size());
    if (i & 1) MD5_Update(&c, f, 16); else MD5_Update(&c, pw.data(), pw.size());
    MD5_Final(f, &c);
  }
  *out = std::string(kApr1) + salt + "$";
  To64(out, (f[0] << 16) | (f[6] << 8) | f[12], 4);
  To64(out, (f[1] << 16) | (f[7] << 8) | f[13], 4);
  To64(out, (f[2] << 16) | (f[8] << 8) | f[14], 4);
  To64(out, (f[3] << 16) | (f[9] << 8) | f[15], 4);
  To64(out, (f[4] << 16) | (f[10] << 8) | f[5], 4);
  To64(out, f[11], 2);
  return true;
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t at; (at = s.find(sep, start)) != std::string::npos; start = at + 1) parts.push_back(s.substr(start, at - start));
  parts.push_back(s.substr(start));
  return parts;
}

bool FromHex(const std::string& hex, std::string* out) {
  if (hex.size() % 2) return false;
  out->clear();
  for (size_t i = 0; i < hex.size(); i += 2) {
    char* end = nullptr;
    std::string byte = hex.substr(i, 2);
    long v = std::strtol(byte.c_str(), &end, 16);
    if (end != byte.c_str() + 2) return false;
    out->push_back(static_cast<char>(v));
  }
  return true;
}

void AppendHex(std::string* out, const unsigned char* bytes, size_t n) {
  static const char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out->push_back(kHex[bytes[i] >> 4]);
    out->push_back(kHex[bytes[i] & 15]);
  }
}

// The setting up to and including its last '$': the result replaces only the final field.
std::string Head(const std::string& setting) { return setting.substr(0, setting.rfind('$') + 1); }

bool Digest(const std::string& pw, const std::string& setting, std::string* out) {
  auto f = Split(setting, '$');
  std::string salt;
  if (f.size() != 4 || !FromHex(f[2], &salt)) return false;
  std::string input = pw + salt;
  auto data = reinterpret_cast<const unsigned char*>(input.data());
  unsigned char md[64];
  size_t n;
  if (f[1] == "md5") n = 16, MD5(data, input.size(), md);
  else if (f[1] == "sha1") n = 20, SHA1(data, input.size(), md);
  else if (f[1] == "sha256") n = 32, SHA256(data, input.size(), md);
  else if (f[1] == "sha384") n = 48, SHA384(data, input.size(), md);
  else if (f[1] == "sha512") n = 64, SHA512(data, input.size(), md);
  else return false;
  *out = Head(setting);
  AppendHex(out, md, n);
  return true;
}

bool Pbkdf2(const std::string& pw, const std::string& setting, std::string* out) {
  auto f = Split(setting, '$');
  std::string salt;
  if (f.size() != 5 || !FromHex(f[3], &salt)) return false;
  const EVP_MD* md = f[1] == "sha1" ? EVP_sha1() : f[1] == "sha256" ? EVP_sha256() : f[1] == "sha512" ? EVP_sha512() : nullptr;
  long iterations = std::strtol(f[2].c_str(), nullptr, 10);
  size_t key_length = f[4].size() / 2;
  if (md == nullptr || iterations < 1 || key_length == 0 || key_length > 1024) return false;
  std::vector<unsigned char> key(key_length);
  if (PKCS5_PBKDF2_HMAC(pw.data(), static_cast<int>(pw.size()), reinterpret_cast<const unsigned char*>(salt.data()),
                        static_cast<int>(salt.size()), static_cast<int>(iterations), md, static_cast<int>(key_length),
                        key.data()) != 1) {
    return false;
  }
  *out = Head(setting);
  AppendHex(out, key.data(), key.size());
  return true;
}

}  // namespace

bool Compute(const std::string& phrase, const std::string& setting, crypt_data* data, std::string* out) {
  if (StartsWith(setting, kApr1)) return Apr1(phrase, setting, out);
  if (StartsWith(setting, "!pwguard-digest$")) return Digest(phrase, setting, out);
  if (StartsWith(setting, "!pwguard-pbkdf2$")) return Pbkdf2(phrase, setting, out);
  const char* hashed = crypt_rn(phrase.c_str(), setting.c_str(), data, sizeof *data);
  if (hashed == nullptr) return false;
  out->assign(hashed);
  return true;
}

}  // namespace pwguard
