# The crypt(3) bridge: libxcrypt's crypt_rn, the library that verifies logins on the audited machine.
{
  "targets": [
    {
      "target_name": "pwguard_crypt",
      "sources": ["crypt_addon.cc", "hashers.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-O2"],
      "libraries": ["-lcrypt"]
    }
  ]
}
