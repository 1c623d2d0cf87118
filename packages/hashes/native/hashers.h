// The hash computations behind the addon: libxcrypt's crypt_rn for crypt(3) settings, and the few
// schemes libxcrypt lacks (apr1, LDAP digests, PBKDF2), computed over Node's own OpenSSL.
#pragma once
#include <crypt.h>
#include <string>

namespace pwguard {

// Settings for the non-crypt schemes start with this; crypt(3) never produces it. The TypeScript
// side builds them from a parsed value (see src/addon-settings.ts):
//   !pwguard-digest$ALG$SALTHEX$DIGESTHEX        ALG = md5 sha1 sha256 sha384 sha512; H(pw + salt)
//   !pwguard-pbkdf2$ALG$ITERATIONS$SALTHEX$KEYHEX ALG = sha1 sha256 sha512
// The result is the setting with the computed hex in the last field, so every scheme is checked
// by the same comparison: result == stored.
constexpr char kOwnPrefix[] = "!pwguard-";

// Hashes `phrase` with `setting` into `out`; false when the setting is refused. `data` must be
// zeroed before its first use and may be reused across calls (crypt_rn's contract).
bool Compute(const std::string& phrase, const std::string& setting, crypt_data* data, std::string* out);

}  // namespace pwguard
