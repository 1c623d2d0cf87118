// N-API bridge to libxcrypt. Every call uses its own struct crypt_data (crypt_rn is reentrant),
// so the addon is safe in several worker_threads at once. Phrases are bytes, never re-encoded.
#include <napi.h>
#include <crypt.h>
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

// Hashes phrase with setting; nullptr when libxcrypt refuses the setting.
const char* Hash(const std::string& phrase, const std::string& setting, crypt_data* data) {
  std::memset(data, 0, sizeof *data);
  return crypt_rn(phrase.c_str(), setting.c_str(), data, sizeof *data);
}

// crypt(phrase, setting) -> string | null
Napi::Value Crypt(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string phrase;
  if (info.Length() < 2 || !PhraseBytes(info[0], &phrase) || !info[1].IsString()) return env.Null();
  auto data = std::make_unique<crypt_data>();
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
  auto data = std::make_unique<crypt_data>();
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
  auto data = std::make_unique<crypt_data>();
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
