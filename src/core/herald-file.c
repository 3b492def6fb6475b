/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-file"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "herald-file-private.h"

struct _HeraldFileWriter
{
  char *path;
  char *temporary;
  int   fd;
  int   saved_errno;
};

gboolean
_herald_file_set_write_error (GError     **error,
                              const char  *path,
                              int          code,
                              const char  *reason)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (code), _("“%s” could not be written: %s"), display, reason);
  return FALSE;
}

/* Opens a temporary file in the folder of @path, with @mode before the
 * umask. */
HeraldFileWriter *
_herald_file_writer_new (const char  *path,
                         int          mode,
                         GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  HeraldFileWriter *self = g_new0 (HeraldFileWriter, 1);

  self->path = g_strdup (path);
  self->temporary = g_strdup_printf ("%s%c.%s.XXXXXX", dir, G_DIR_SEPARATOR, base);
  if ((self->fd = g_mkstemp_full (self->temporary, O_WRONLY, mode)) < 0)
    {
      int saved_errno = errno;

      _herald_file_set_write_error (error, path, saved_errno, g_strerror (saved_errno));
      g_clear_pointer (&self->temporary, g_free);
      _herald_file_writer_abort (self);
      return NULL;
    }

  return self;
}

/* Returns: %FALSE once a write failed; _herald_file_writer_finish() then
 * tells why. */
gboolean
_herald_file_writer_write (HeraldFileWriter *self,
                           const void       *data,
                           gsize             length)
{
  const char *bytes = data;

  while (length > 0 && self->saved_errno == 0)
    {
      gssize written = write (self->fd, bytes, length);

      if (written < 0 && errno == EINTR)
        continue;
      if (written <= 0)
        self->saved_errno = written < 0 ? errno : EIO;
      else
        {
          bytes += written;
          length -= written;
        }
    }

  return self->saved_errno == 0;
}

/* Puts the file in place when @keep and all was written, or else removes
 * it. Returns: whether the file is in place; %FALSE without @error set
 * when it was not to be kept and nothing failed. */
gboolean
_herald_file_writer_finish (HeraldFileWriter  *self,
                            gboolean           keep,
                            GError           **error)
{
  gboolean kept = FALSE;

  if (close (self->fd) != 0 && self->saved_errno == 0)
    self->saved_errno = errno;
  self->fd = -1;

  if (keep && self->saved_errno == 0)
    {
      if (g_rename (self->temporary, self->path) == 0)
        kept = TRUE;
      else
        self->saved_errno = errno;
    }

  if (self->saved_errno != 0)
    _herald_file_set_write_error (error, self->path, self->saved_errno, g_strerror (self->saved_errno));

  if (!kept)
    g_unlink (self->temporary);
  _herald_file_writer_abort (self);

  return kept;
}

/* Removes the temporary file, if it is still there, and frees @self. */
void
_herald_file_writer_abort (HeraldFileWriter *self)
{
  if (self->fd >= 0)
    {
      close (self->fd);
      g_unlink (self->temporary);
    }
  g_free (self->temporary);
  g_free (self->path);
  g_free (self);
}
