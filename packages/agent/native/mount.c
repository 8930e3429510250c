/*
 * mount(2) and umount2(2) for the agent's sandbox mounts, called directly. Running mount(8) for
 * each sandbox costs a fork and an exec, several milliseconds each on an idle machine and tens of
 * them while twenty executors start; the system call itself takes a fraction of a millisecond. The
 * calls are synchronous: an overlay mount on the agent's own disk returns at once, and a busy
 * unmount fails at once (EBUSY) rather than waiting.
 */
#define _GNU_SOURCE
#define NAPI_VERSION 8
#include <errno.h>
#include <node_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

/* A string argument, or NULL (with a TypeError thrown) when it is not one. Free it after use. */
static char *string_argument(napi_env env, napi_value value, const char *name) {
  size_t length = 0;
  if (napi_get_value_string_utf8(env, value, NULL, 0, &length) != napi_ok) {
    char message[128];
    snprintf(message, sizeof message, "%s must be a string", name);
    napi_throw_type_error(env, NULL, message);
    return NULL;
  }
  char *text = malloc(length + 1);
  if (text == NULL) {
    napi_throw_error(env, "ENOMEM", "out of memory");
    return NULL;
  }
  napi_get_value_string_utf8(env, value, text, length + 1, &length);
  return text;
}

/* Throws an Error whose code is the errno's name (EPERM, EBUSY, ...), as Node's fs errors carry. */
static void throw_system_error(napi_env env, const char *call, const char *path, int error) {
  char message[4200];
  snprintf(message, sizeof message, "%s '%s': %s", call, path, strerror(error));
  const char *code = strerrorname_np(error);
  napi_throw_error(env, code != NULL ? code : "EUNKNOWN", message);
}

/* Reads `wanted` arguments into argv, or throws a TypeError with `usage` when fewer were given. */
static int read_arguments(napi_env env, napi_callback_info info, napi_value *argv, size_t wanted, size_t required, const char *usage, size_t *given) {
  *given = wanted;
  napi_get_cb_info(env, info, given, argv, NULL, NULL);
  if (*given < required) {
    napi_throw_type_error(env, NULL, usage);
    return 0;
  }
  return 1;
}

/* mountOverlay(options, target): mount -t overlay overlay -o <options> <target> */
static napi_value mount_overlay(napi_env env, napi_callback_info info) {
  size_t argc;
  napi_value argv[2];
  if (!read_arguments(env, info, argv, 2, 2, "mountOverlay(options, target) takes two strings", &argc)) return NULL;
  char *options = string_argument(env, argv[0], "options");
  if (options == NULL) return NULL;
  char *target = string_argument(env, argv[1], "target");
  if (target == NULL) {
    free(options);
    return NULL;
  }
  int failed = mount("overlay", target, "overlay", 0, options) != 0;
  int error = errno;
  if (failed) throw_system_error(env, "mount", target, error);
  free(options);
  free(target);
  return NULL;
}

/* unmount(target, detach): umount2(target, detach ? MNT_DETACH : 0) */
static napi_value unmount(napi_env env, napi_callback_info info) {
  size_t argc;
  napi_value argv[2];
  if (!read_arguments(env, info, argv, 2, 1, "unmount(target, detach) takes a string", &argc)) return NULL;
  char *target = string_argument(env, argv[0], "target");
  if (target == NULL) return NULL;
  bool detach = false;
  if (argc > 1) napi_get_value_bool(env, argv[1], &detach);
  int failed = umount2(target, detach ? MNT_DETACH : 0) != 0;
  int error = errno;
  if (failed) throw_system_error(env, "umount", target, error);
  free(target);
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor functions[] = {
    {"mountOverlay", NULL, mount_overlay, NULL, NULL, NULL, napi_default, NULL},
    {"unmount", NULL, unmount, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof functions / sizeof functions[0], functions);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
