{
  "targets": [
    {
      "target_name": "proofdesk_hash",
      "sources": ["proofdesk_hash.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"],
      "xcode_settings": { "OTHER_CFLAGS": ["-O2"] }
    }
  ]
}
