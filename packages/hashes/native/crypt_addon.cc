// N-API bridge to libxcrypt. Every call uses its own struct crypt_data (crypt_rn is reentrant),
// so the addon is safe in several worker_threads at once. Phrases are bytes, never re-encoded.
#include <napi.h>
#include <crypt.h>
// MD5 for Apache's apr1, which libxcrypt lacks: Node's own OpenSSL, whose headers ship with Node
// and whose symbols the node binary exports to addons.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/md5.h>
#include <algorithm>
#include <climits>
#include <cstring>
#include <memory>
#include <string>

namespace {

// A phrase with a NUL byte cannot reach crypt(3) whole; refuse it rather than truncate silently.
bool PhraseBytes(const Napi::Value& v, std::string* out) {
  if (v.IsBuffer()) {
    auto b = v.As<Napi::Buffer<char>>();
    out->assign(b.Data(), b.Length());
  } else if (v.IsString()) {
    *out = v.As<Napi::String>().Utf8Value();
  } else {
    return false;
  }
  return out->find('\0') == std::string::npos;
}

// Compares without an early exit, so time does not depend on where the strings differ.
bool ConstantTimeEquals(const char* a, const std::string& b) {
  size_t la = std::strlen(a);
  if (la != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < la; i++) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

const char kItoa64[] = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const char kApr1[] = "$apr1$";

void To64(std::string* out, unsigned long v, int n) {
  while (n-- > 0) {
    out->push_back(kItoa64[v & 0x3f]);
    v >>= 6;
  }
}

// md5crypt (Kamp's algorithm) with the magic "$apr1$"; writes the full string into `out`
// (kept in crypt_data's output buffer so callers treat both paths alike).
const char* Apr1(const std::string& pw, const std::string& setting, crypt_data* data) {
  size_t salt_start = sizeof kApr1 - 1;
  size_t salt_end = setting.find('$', salt_start);
  if (salt_end == std::string::npos) salt_end = setting.size();
  std::string salt = setting.substr(salt_start, std::min<size_t>(salt_end - salt_start, 8));
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
  for (int i = 0; i < 1000; i++) {
    MD5_Init(&c);
    if (i & 1) MD5_Update(&c, pw.data(), pw.size()); else MD5_Update(&c, f, 16);
    if (i % 3) MD5_Update(&c, salt.data(), salt.size());
    if (i % 7) MD5_Update(&c, pw.data(), pw.size());
    if (i & 1) MD5_Update(&c, f, 16); else MD5_Update(&c, pw.data(), pw.size());
    MD5_Final(f, &c);
  }
  std::string out = std::string(kApr1) + salt + "$";
  To64(&out, (f[0] << 16) | (f[6] << 8) | f[12], 4);
  To64(&out, (f[1] << 16) | (f[7] << 8) | f[13], 4);
  To64(&out, (f[2] << 16) | (f[8] << 8) | f[14], 4);
  To64(&out, (f[3] << 16) | (f[9] << 8) | f[15], 4);
  To64(&out, (f[4] << 16) | (f[10] << 8) | f[5], 4);
  To64(&out, f[11], 2);
  if (out.size() >= sizeof data->output) return nullptr;
  std::memcpy(data->output, out.c_str(), out.size() + 1);
  return data->output;
}

// Hashes phrase with setting; nullptr when libxcrypt refuses the setting. `data` is zeroed once
// when allocated (crypt_rn's contract) and reused: clearing its 32 KiB per call would cost as much
// as a DES hash.
const char* Hash(const std::string& phrase, const std::string& setting, crypt_data* data) {
  if (setting.compare(0, sizeof kApr1 - 1, kApr1) == 0) return Apr1(phrase, setting, data);
  return crypt_rn(phrase.c_str(), setting.c_str(), data, sizeof *data);
}

// A zeroed crypt_data that is wiped again when released: it held the phrase's intermediates.
struct Scratch {
  std::unique_ptr<crypt_data> data = std::make_unique<crypt_data>();
  ~Scratch() { explicit_bzero(data.get(), sizeof *data); }
  crypt_data* get() { return data.get(); }
};

// crypt(phrase, setting) -> string | null
Napi::Value Crypt(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string phrase;
  if (info.Length() < 2 || !PhraseBytes(info[0], &phrase) || !info[1].IsString()) return env.Null();
  Scratch data;
  const char* out = Hash(phrase, info[1].As<Napi::String>().Utf8Value(), data.get());
  if (out == nullptr) return env.Null();
  return Napi::String::New(env, out);
}

// verify(phrase, stored) -> 1 match, 0 mismatch, -1 setting refused by libxcrypt
Napi::Value Verify(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string phrase;
  if (info.Length() < 2 || !info[1].IsString()) return Napi::Number::New(env, -1);
  std::string stored = info[1].As<Napi::String>().Utf8Value();
  if (!PhraseBytes(info[0], &phrase)) return Napi::Number::New(env, 0);
  Scratch data;
  const char* out = Hash(phrase, stored, data.get());
  if (out == nullptr) return Napi::Number::New(env, -1);
  return Napi::Number::New(env, ConstantTimeEquals(out, stored) ? 1 : 0);
}

// findMatch(stored, candidates[], firstIndex, best: Int32Array(shared)) -> index or -1.
// `best` holds the lowest matching index found by any worker; a batch stops once its next
// candidate lies beyond it, because an earlier match always wins.
Napi::Value FindMatch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 4 || !info[0].IsString() || !info[1].IsArray() || !info[2].IsNumber() ||
      !info[3].IsTypedArray()) {
    Napi::TypeError::New(env, "findMatch(stored, candidates, firstIndex, best)").ThrowAsJavaScriptException();
    return env.Null();
  }
  std::string stored = info[0].As<Napi::String>().Utf8Value();
  auto candidates = info[1].As<Napi::Array>();
  int32_t first = info[2].As<Napi::Number>().Int32Value();
  auto best_array = info[3].As<Napi::Int32Array>();
  int32_t* best = best_array.Data();
  Scratch data;
  std::string phrase;
  uint32_t n = candidates.Length();
  for (uint32_t i = 0; i < n; i++) {
    int32_t index = first + static_cast<int32_t>(i);
    if (index >= __atomic_load_n(best, __ATOMIC_RELAXED)) break;
    if (!PhraseBytes(candidates.Get(i), &phrase)) continue;
    const char* out = Hash(phrase, stored, data.get());
    if (out == nullptr) return Napi::Number::New(env, -2);
    if (ConstantTimeEquals(out, stored)) {
      int32_t seen = __atomic_load_n(best, __ATOMIC_RELAXED);
      while (index < seen && !__atomic_compare_exchange_n(best, &seen, index, false,
                                                          __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {
      }
      return Napi::Number::New(env, index);
    }
  }
  return Napi::Number::New(env, -1);
}

// checksalt(setting) -> CRYPT_SALT_* code (0 ok, 1 invalid, 2 method disabled, 3 legacy, 4 too cheap)
Napi::Value CheckSalt(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) return Napi::Number::New(env, CRYPT_SALT_INVALID);
  return Napi::Number::New(env, crypt_checksalt(info[0].As<Napi::String>().Utf8Value().c_str()));
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("crypt", Napi::Function::New(env, Crypt));
  exports.Set("verify", Napi::Function::New(env, Verify));
  exports.Set("findMatch", Napi::Function::New(env, FindMatch));
  exports.Set("checksalt", Napi::Function::New(env, CheckSalt));
  return exports;
}

}  // namespace

NODE_API_MODULE(pwguard_crypt, Init)
