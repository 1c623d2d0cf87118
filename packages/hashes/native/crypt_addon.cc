// N-API bridge: crypt(3) through libxcrypt's crypt_rn plus the schemes in hashers.cc. Every call
// has its own struct crypt_data, so the addon is safe in several worker_threads at once.
// Phrases are bytes, never re-encoded.
#include <napi.h>

#include <cstring>
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

// The loop both findMatch forms share: `next(&phrase)` yields each candidate in order (false at
// the end; an unusable candidate yields an empty optional). -1 none, -2 setting refused.
template <typename Next>
int32_t Search(const std::string& stored, int32_t first, int32_t* best, Next next) {
  Scratch s;
  std::string phrase;
  int32_t result = -1;
  bool usable = false;
  for (int32_t index = first; next(&phrase, &usable); index++) {
    if (index >= __atomic_load_n(best, __ATOMIC_RELAXED)) break;
    if (!usable) continue;
    if (!pwguard::Compute(phrase, stored, s.data.get(), &s.out)) {
      result = -2;
      break;
    }
    if (ConstantTimeEquals(s.out, stored)) {
      RecordMatch(best, index);
      result = index;
      break;
    }
  }
  explicit_bzero(phrase.data(), phrase.size());
  return result;
}

bool Arguments(const Napi::CallbackInfo& info, bool packed) {
  bool ok = info.Length() >= 4 && info[0].IsString() && info[2].IsNumber() && info[3].IsTypedArray() &&
            (packed ? info[1].IsTypedArray() : info[1].IsArray());
  if (!ok) Napi::TypeError::New(info.Env(), "findMatch(stored, candidates, firstIndex, best)").ThrowAsJavaScriptException();
  return ok;
}

// findMatch(stored, candidates[], firstIndex, best: Int32Array(shared)) -> index, -1 none,
// -2 setting refused. `best` holds the lowest matching index any worker found; a batch stops once
// its next candidate lies beyond it, because an earlier match always wins.
Napi::Value FindMatch(const Napi::CallbackInfo& info) {
  if (!Arguments(info, false)) return info.Env().Null();
  auto candidates = info[1].As<Napi::Array>();
  uint32_t i = 0, n = candidates.Length();
  int32_t r = Search(info[0].As<Napi::String>().Utf8Value(), info[2].As<Napi::Number>().Int32Value(),
                     info[3].As<Napi::Int32Array>().Data(), [&](std::string* phrase, bool* usable) {
                       if (i >= n) return false;
                       *usable = PhraseBytes(candidates.Get(i++), phrase);
                       return true;
                     });
  return Napi::Number::New(info.Env(), r);
}

// findMatchPacked(stored, bytes: Uint8Array, firstIndex, best): the same over candidates packed
// as UTF-8, each followed by a NUL byte (none contains one), saving a conversion per candidate.
Napi::Value FindMatchPacked(const Napi::CallbackInfo& info) {
  if (!Arguments(info, true)) return info.Env().Null();
  auto bytes = info[1].As<Napi::Uint8Array>();
  const char* at = reinterpret_cast<const char*>(bytes.Data());
  const char* end = at + bytes.ByteLength();
  int32_t r = Search(info[0].As<Napi::String>().Utf8Value(), info[2].As<Napi::Number>().Int32Value(),
                     info[3].As<Napi::Int32Array>().Data(), [&](std::string* phrase, bool* usable) {
                       const char* stop = at < end ? static_cast<const char*>(std::memchr(at, '\0', end - at)) : nullptr;
                       if (stop == nullptr) return false;
                       phrase->assign(at, stop - at);
                       at = stop + 1;
                       *usable = true;
                       return true;
                     });
  return Napi::Number::New(info.Env(), r);
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("crypt", Napi::Function::New(env, Crypt));
  exports.Set("verify", Napi::Function::New(env, Verify));
  exports.Set("findMatch", Napi::Function::New(env, FindMatch));
  exports.Set("findMatchPacked", Napi::Function::New(env, FindMatchPacked));
  return exports;
}

}  // namespace

NODE_API_MODULE(pwguard_crypt, Init)
