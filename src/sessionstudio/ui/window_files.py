"""The window's file and item commands: import, download, rename, move/copy, recipe,
bundles and watch folders. A mixin of MainWindow (split out to keep files small); each
command runs its library work on the window's Tasks, never on the GUI thread's time."""

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from .. import library as L
from ..core.errors import StudioError
from .dialogs import RecipeDialog, choose_session


class WindowFileCommands:
    """Expects: lib, tasks, state, current_session, statusBar(), show_error(), open_session()."""

    def import_files_dialog(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Import media into this session")
        if files:
            self.import_files(files)

    def import_files(self, paths: list) -> None:
        if self.current_session is None:
            self.show_error("Open or create a session first, then drop files into it.")
            return
        sid = self.current_session

        def run():
            added, problems = 0, []
            for p in paths:
                try:
                    L.add_item(self.lib, session_id=sid, source=Path(p))
                    added += 1
                except StudioError as exc:
                    problems.append(str(exc))
            return added, problems
        self.tasks.write(run, done=self._imported)

    def _imported(self, result) -> None:
        added, problems = result
        msg = f"Imported {added} file{'s' if added != 1 else ''}."
        if problems:
            msg += f" {len(problems)} could not be read: {problems[0]}"
        self.statusBar().showMessage(msg, 10000)

    def download(self, ids: list) -> None:
        start = self.state.get_str("download_dir", str(Path.home() / "Downloads"))
        folder = QFileDialog.getExistingDirectory(self, "Download to", start)
        if not folder:
            return
        self.state.set("download_dir", folder)
        fmt = None
        if any(i.kind in ("music", "voiceover") for i in L.get_items(self.lib, list(ids)).values()):
            from PySide6.QtWidgets import QInputDialog
            choices = ["WAV (as stored)", "MP3", "Ogg (Opus)"]
            last = self.state.get_str("download_audio", choices[0])
            choice, ok = QInputDialog.getItem(self, "Download audio", "Save tracks and voiceovers as:",
                                              choices, max(0, choices.index(last))
                                              if last in choices else 0, False)
            if not ok:
                return
            self.state.set("download_audio", choice)
            fmt = {"MP3": "mp3", "Ogg (Opus)": "ogg"}.get(choice)
        # A download only reads the library: the reader pool, so saves are not held up.
        self.tasks.read(lambda: [L.export_item(self.lib, item_id=i, dest_dir=folder,
                                               audio_format=fmt) for i in ids],
                        done=lambda paths: self.statusBar().showMessage(
                            f"Downloaded {len(paths)} item(s) to {folder}", 8000))

    def rename_item(self, item_id: str) -> None:
        from PySide6.QtWidgets import QInputDialog
        item = L.get_item(self.lib, item_id)
        name, ok = QInputDialog.getText(self, "Rename", "Name:", text=item.name)
        if ok and name.strip():
            self.tasks.write(lambda: L.rename_item(self.lib, item_id=item_id, name=name))

    def move_items(self, ids: list, copy: bool) -> None:
        target = choose_session(self, self.lib, title="Copy to session" if copy else "Move to session",
                                exclude=self.current_session)
        if target is None:
            return
        op = L.copy_items if copy else L.move_items
        self.tasks.write(lambda: op(self.lib, item_ids=list(ids), session_id=target))

    def show_recipe(self, item_id: str) -> None:
        RecipeDialog(L.get_item(self.lib, item_id).recipe(), self).exec()

    def export_bundle(self) -> None:
        if self.current_session is None:
            return
        dest, _ = QFileDialog.getSaveFileName(self, "Export session", "", "Bundles (*.zip)")
        if dest:
            sid = self.current_session
            self.tasks.write(lambda: L.export_bundle(self.lib, session_id=sid, dest=dest),
                             done=lambda p: self.statusBar().showMessage(f"Exported to {p}", 8000))

    def import_bundle(self) -> None:
        src, _ = QFileDialog.getOpenFileName(self, "Import bundle", "", "Bundles (*.zip)")
        if src:
            self.tasks.write(lambda: L.import_bundle(self.lib, path=src),
                             done=lambda ch: self.open_session(ch.created[0]))

    def watch_folders(self) -> None:
        from .watch_dialog import WatchFoldersDialog
        WatchFoldersDialog(self.lib, self.tasks, session_id=self.current_session,
                           watcher=self.watcher, parent=self).exec()
