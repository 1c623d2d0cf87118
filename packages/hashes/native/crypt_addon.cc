// N-API bridge: crypt(3) through libxcrypt's crypt_rn plus the schemes in hashers.cc. Every call
// has its own struct crypt_data, so the addon is safe in several worker_threads at once.
// Phrases are bytes, never re-encoded.
#include <napi.h>

#include <memory>
#include <string>

#include "hashers.h"

namespace {

// A phrase with a NUL byte cannot reach crypt(3) whole; refuse it rather than truncate silently.
bool PhraseBytes(const Napi::Value& v, std::string* out) {
  if (v.IsBuffer()) {
    auto b = v.As<Napi::Buffer<char>>();
    out->assign(b.Data(), b.Length());
  } else if (v.IsTypedArray() && v.As<Napi::TypedArray>().TypedArrayType() == napi_uint8_array) {
    auto b = v.As<Napi::Uint8Array>();
    out->assign(reinterpret_cast<const char*>(b.Data()), b.ByteLength());
  } else if (v.IsString()) {
    *out = v.As<Napi::String>().Utf8Value();
  } else {
    return false;
  }
  return out->find('\0') == std::string::npos;
}

// Compares without an early exit, so time does not depend on where the strings differ.
bool ConstantTimeEquals(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); i++) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

// A zeroed crypt_data (crypt_rn's contract), reused for a whole batch (clearing its 32 KiB per
// hash would cost as much as a DES hash), and wiped when released: it held intermediates.
struct Scratch {
  std::unique_ptr<crypt_data> data = std::make_unique<crypt_data>();
  std::string out;
  ~Scratch() {
    explicit_bzero(data.get(), sizeof *data);
    explicit_bzero(out.data(), out.size());
  }
};

// crypt(phrase, setting) -> string | null
Napi::Value Crypt(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string phrase;
  if (info.Length() < 2 || !PhraseBytes(info[0], &phrase) || !info[1].IsString()) return env.Null();
  Scratch s;
  if (!pwguard::Compute(phrase, info[1].As<Napi::String>().Utf8Value(), s.data.get(), &s.out)) return env.Null();
  return Napi::String::New(env, s.out);
}

// verify(phrase, stored) -> 1 match, 0 mismatch, -1 setting refused
Napi::Value Verify(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string phrase;
  if (info.Length() < 2 || !info[1].IsString()) return Napi::Number::New(env, -1);
  std::string stored = info[1].As<Napi::String>().Utf8Value();
  if (!PhraseBytes(info[0], &phrase)) return Napi::Number::New(env, 0);
  Scratch s;
  if (!pwguard::Compute(phrase, stored, s.data.get(), &s.out)) return Napi::Number::New(env, -1);
  return Napi::Number::New(env, ConstantTimeEquals(s.out, stored) ? 1 : 0);
}

// Lowers `best` to `index` unless another worker already found an earlier match.
void RecordMatch(int32_t* best, int32_t index) {
  int32_t seen = __atomic_load_n(best, __ATOMIC_RELAXED);
  while (index < seen && !__atomic_compare_exchange_n(best, &seen, index, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {
  }
}

// findMatch(stored, candidates[], firstIndex, best: Int32Array(shared)) -> index, -1 none,
// -2 setting refused. `best` holds the lowest matching index any worker found; a batch stops once
// its next candidate lies beyond it, because an earlier match always wins.
Napi::Value FindMatch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 4 || !info[0].IsString() || !info[1].IsArray() || !info[2].IsNumber() || !info[3].IsTypedArray()) {
    Napi::TypeError::New(env, "findMatch(stored, candidates, firstIndex, best)").ThrowAsJavaScriptException();
    return env.Null();
  }
  std::string stored = info[0].As<Napi::String>().Utf8Value();
  auto candidates = info[1].As<Napi::Array>();
  int32_t first = info[2].As<Napi::Number>().Int32Value();
  int32_t* best = info[3].As<Napi::Int32Array>().Data();
  Scratch s;
  std::string phrase;
  uint32_t n = candidates.Length();
  for (uint32_t i = 0; i < n; i++) {
    int32_t index = first + static_cast<int32_t>(i);
    if (index >= __atomic_load_n(best, __ATOMIC_RELAXED)) break;
    if (!PhraseBytes(candidates.Get(i), &phrase)) continue;
    if (!pwguard::Compute(phrase, stored, s.data.get(), &s.out)) return Napi::Number::New(env, -2);
    if (ConstantTimeEquals(s.out, stored)) {
      RecordMatch(best, index);
      explicit_bzero(phrase.data(), phrase.size());
      return Napi::Number::New(env, index);
    }
  }
  explicit_bzero(phrase.data(), phrase.size());
  return Napi::Number::New(env, -1);
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("crypt", Napi::Function::New(env, Crypt));
  exports.Set("verify", Napi::Function::New(env, Verify));
  exports.Set("findMatch", Napi::Function::New(env, FindMatch));
  return exports;
}

}  // namespace

NODE_API_MODULE(pwguard_crypt, Init)
