{
  "targets": [
    {
      "target_name": "tepui_mount",
      "sources": ["native/mount.c"],
      "cflags": ["-Wall", "-Wextra", "-O2"]
    }
  ]
}
