"""The session sidebar on a real library: groups, lazy pages, open, rename, trash, restore,
purge, folders, drag and drop, search, and changes made elsewhere."""

import threading
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QMessageBox

from sessionstudio import library as L
from sessionstudio.core.errors import NotFound
from sessionstudio.core.ids import now_ms, uuid7
from sessionstudio.library.bulk import bulk_insert
from sessionstudio.ui.bridge import LibraryBridge
from sessionstudio.ui.models.session_model import IdRole, KindRole, SessionTreeModel
from sessionstudio.ui.tasks import Tasks
from sessionstudio.ui.views.sidebar import SessionSidebar
from tests.mediafactory import make_png

DAY = 86_400_000
ROOT = QModelIndex()
SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@pytest.fixture
def tasks(qtbot, lib):   # after lib, so it shuts down before the library closes
    t = Tasks()
    yield t
    t.shutdown()


@pytest.fixture
def bridge(lib):
    b = LibraryBridge(lib)
    yield b
    b.detach()


@pytest.fixture
def make_sidebar(qtbot, lib, tasks, bridge):
    def make():
        bar = SessionSidebar(lib, tasks, bridge)
        qtbot.addWidget(bar)
        bar.resize(300, 600)
        bar.show()
        qtbot.waitExposed(bar)
        return bar
    return make


def add_sessions(lib, rows, folder_id=None):
    """rows: (name, created_ms); returns the ids in the same order."""
    ids = [uuid7() for _ in rows]
    bulk_insert(lib, sessions=[(i, name, 0, folder_id, ms, ms) for i, (name, ms) in zip(ids, rows)])
    return ids


def rows(model, parent=ROOT):
    return [(model.index(r, 0, parent).data(KindRole), model.index(r, 0, parent).data())
            for r in range(model.rowCount(parent))]


def month(ms):
    return datetime.fromtimestamp(ms / 1000).strftime("%B %Y")


def test_sessions_newest_first_under_their_day_groups(qtbot, lib, tasks):
    now = now_ms()
    made = [("Yesterday's", now - DAY), ("Three days", now - 3 * DAY), ("Fifteen days", now - 15 * DAY),
            ("Two months", now - 62 * DAY), ("Two months, older", now - 62 * DAY - 1000),
            ("A year", now - 400 * DAY)]
    add_sessions(lib, made)
    L.create_session(lib, name="Earlier today")
    L.create_session(lib, name="Just now")
    L.create_folder(lib, name="Clients")
    model = SessionTreeModel(lib, tasks)
    model.fetchMore(ROOT)
    labels = ["Yesterday", "Previous 7 days", "Previous 30 days", month(made[3][1]), month(made[4][1]),
              month(made[5][1])]
    expected = [("folder", "Clients"), ("group", "Today"), ("session", "Just now"),
                ("session", "Earlier today")]
    for (name, _), label in zip(made, labels):
        if ("group", label) not in expected:
            expected.append(("group", label))
        expected.append(("session", name))
    assert rows(model) == expected
    header = model.index(1, 0)
    assert not header.flags() & Qt.ItemFlag.ItemIsSelectable
    assert not header.flags() & Qt.ItemFlag.ItemIsEditable
    assert not header.flags() & Qt.ItemFlag.ItemIsDragEnabled
    assert header.data(Qt.ItemDataRole.FontRole).bold()
    session = model.index(2, 0)
    assert session.data(KindRole) == "session" and session.flags() & Qt.ItemFlag.ItemIsDragEnabled
    assert "Just now" in session.data(Qt.ItemDataRole.ToolTipRole)
    assert not session.data(Qt.ItemDataRole.DecorationRole).isNull()


def test_a_thousand_sessions_load_in_pages(qtbot, lib, make_sidebar):
    now = now_ms()
    add_sessions(lib, [(f"Session {i:04d}", now - i * 3_600_000) for i in range(1000)])
    bar = make_sidebar()
    model = bar.model
    qtbot.wait(50)
    assert model.loaded_session_count() == 200
    assert model.canFetchMore(ROOT)
    model.fetchMore(ROOT)
    assert model.loaded_session_count() == 400
    bar.tree.verticalScrollBar().setValue(bar.tree.verticalScrollBar().maximum())
    qtbot.waitUntil(lambda: model.loaded_session_count() == 600)
    while model.canFetchMore(ROOT):
        model.fetchMore(ROOT)
    assert model.loaded_session_count() == 1000
    names = [name for kind, name in rows(model) if kind == "session"]
    assert names == [f"Session {i:04d}" for i in range(1000)]
    groups = [name for kind, name in rows(model) if kind == "group"]
    assert groups[:4] == ["Today", "Yesterday", "Previous 7 days", "Previous 30 days"]
    assert len(groups) == len(set(groups))


def test_double_click_and_enter_open_a_session(qtbot, lib, make_sidebar):
    sid = L.create_session(lib, name="Open me").created[0]
    bar = make_sidebar()
    idx = bar.model.index_for_session(sid)
    center = bar.tree.visualRect(idx).center()
    with qtbot.waitSignal(bar.sig_session_selected) as selected:
        qtbot.mouseClick(bar.tree.viewport(), Qt.MouseButton.LeftButton, pos=center)
    assert selected.args == [sid]
    with qtbot.waitSignal(bar.sig_session_open_requested) as opened:
        qtbot.mouseDClick(bar.tree.viewport(), Qt.MouseButton.LeftButton, pos=center)
    assert opened.args == [sid]
    bar.tree.setFocus()
    with qtbot.waitSignal(bar.sig_session_open_requested) as opened:
        qtbot.keyClick(bar.tree, Qt.Key.Key_Return)
    assert opened.args == [sid]
    with qtbot.waitSignal(bar.sig_new_session_requested):
        bar.new_session_button.click()


def test_inline_rename_persists(qtbot, lib, make_sidebar):
    sid = L.create_session(lib, name="Untitled").created[0]
    fid = L.create_folder(lib, name="Folder").created[0]
    bar = make_sidebar()
    model = bar.model
    assert model.setData(model.index_for_session(sid), "Neon city", Qt.ItemDataRole.EditRole)
    assert model.setData(model.index_for_folder(fid), "Renders", Qt.ItemDataRole.EditRole)
    qtbot.waitUntil(lambda: L.get_session(lib, sid).name == "Neon city")
    qtbot.waitUntil(lambda: L.list_folders(lib)[0].name == "Renders")
    qtbot.waitUntil(lambda: model.index_for_session(sid).data() == "Neon city"
                    and model.index_for_folder(fid).data() == "Renders")
    assert not model.setData(model.index_for_session(sid), "   ", Qt.ItemDataRole.EditRole)


def test_a_name_being_written_is_not_undone_by_a_refresh_for_another_change(
        qtbot, lib, make_sidebar, monkeypatch):
    """A change that arrives while a rename is still being written re-reads the folders:
    the row keeps the new name instead of flickering back (this failed under load)."""
    import time
    fid = L.create_folder(lib, name="Folder").created[0]
    bar = make_sidebar()
    model = bar.model
    qtbot.waitUntil(lambda: model.index_for_folder(fid).isValid())
    real = L.rename_folder

    def slow_rename(*a, **kw):
        time.sleep(1.0)                          # still being written
        return real(*a, **kw)
    monkeypatch.setattr(L, "rename_folder", slow_rename)
    assert model.setData(model.index_for_folder(fid), "Renders", Qt.ItemDataRole.EditRole)
    L.create_folder(lib, name="Other")           # its change re-reads the folders meanwhile
    qtbot.waitUntil(lambda: len(model.folder_indexes()) == 2)
    assert model.index_for_folder(fid).data() == "Renders"
    qtbot.waitUntil(lambda: any(f.name == "Renders" for f in L.list_folders(lib)), timeout=5000)
    qtbot.wait(100)
    assert model.index_for_folder(fid).data() == "Renders"


def test_delete_moves_to_trash_without_reset_then_restore(qtbot, lib, make_sidebar):
    keep = L.create_session(lib, name="Keep").created[0]
    sid = L.create_session(lib, name="Throw away").created[0]
    bar = make_sidebar()
    model = bar.model
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    assert bar.select_session(sid)
    bar.tree.setFocus()
    qtbot.keyClick(bar.tree, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: not model.index_for_session(sid).isValid())
    assert L.get_session(lib, sid).trashed_at is not None
    assert resets == []
    assert model.index_for_session(keep).isValid()

    assert not bar.purge_button.isEnabled()
    bar.trash_button.click()
    assert model.mode == "trash"
    assert rows(model) == [("session", "Throw away")]
    assert not bar.restore_button.isEnabled()
    assert bar.select_session(sid)
    assert bar.restore_button.isEnabled() and bar.purge_button.isEnabled()
    bar.restore_button.click()
    qtbot.waitUntil(lambda: model.rowCount() == 0)
    assert L.get_session(lib, sid).trashed_at is None
    bar.trash_button.click()
    assert model.mode == "tree"
    qtbot.waitUntil(lambda: model.index_for_session(sid).isValid())   # the view fetches the first page


def test_delete_permanently_asks_then_purges(qtbot, lib, make_sidebar, monkeypatch):
    sid = L.create_session(lib, name="Gone for good").created[0]
    L.trash_sessions(lib, session_ids=[sid])
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Yes)
    bar = make_sidebar()
    bar.set_trash_mode(True)
    assert bar.select_session(sid)
    bar.purge_button.click()
    assert asked
    qtbot.waitUntil(lambda: bar.model.rowCount() == 0)
    with pytest.raises(NotFound):
        L.get_session(lib, sid)


def test_folder_expansion_is_remembered(qtbot, lib, make_sidebar, tasks):
    fid = L.create_folder(lib, name="Portraits").created[0]
    inside = L.create_session(lib, name="Inside", folder_id=fid).created[0]
    L.create_session(lib, name="Loose")
    bar = make_sidebar()
    folder = bar.model.index_for_folder(fid)
    assert bar.tree.isExpanded(folder)
    assert rows(bar.model, folder) == [("session", "Inside")]
    assert bar.model.index_for_session(inside).parent() == folder
    bar.tree.collapse(folder)
    qtbot.waitUntil(lambda: L.list_folders(lib)[0].collapsed)
    again = make_sidebar()
    assert not again.tree.isExpanded(again.model.index_for_folder(fid))
    again.tree.expand(again.model.index_for_folder(fid))
    qtbot.waitUntil(lambda: not L.list_folders(lib)[0].collapsed)
    assert rows(again.model, again.model.index_for_folder(fid)) == [("session", "Inside")]


def test_drop_moves_a_session_into_a_folder(qtbot, lib, make_sidebar):
    fid = L.create_folder(lib, name="Album").created[0]
    child = L.create_folder(lib, name="Tracks", parent_id=fid).created[0]
    sid = L.create_session(lib, name="Cover art").created[0]
    bar = make_sidebar()
    model = bar.model
    folder = model.index_for_folder(fid)
    data = model.mimeData([model.index_for_session(sid)])
    assert data.hasFormat("application/x-sessionstudio-ids")
    assert model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, -1, folder)
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, folder)
    qtbot.waitUntil(lambda: model.index_for_session(sid).parent() == model.index_for_folder(fid))
    assert L.get_session(lib, sid).folder_id == fid
    assert [k for k, _ in rows(model)] == ["folder"]          # the Today group went with it
    own = model.mimeData([model.index_for_folder(fid)])
    assert not model.canDropMimeData(own, Qt.DropAction.MoveAction, -1, -1, model.index_for_folder(child))
    assert not model.canDropMimeData(own, Qt.DropAction.MoveAction, -1, -1, model.index_for_folder(fid))
    sub = model.mimeData([model.index_for_folder(child)])
    assert model.dropMimeData(sub, Qt.DropAction.MoveAction, -1, -1, ROOT)
    qtbot.waitUntil(lambda: not model.index_for_folder(child).parent().isValid())
    assert [n for _, n in rows(model)] == ["Album", "Tracks"]
    assert bar.tree.isExpanded(model.index_for_folder(fid))


def test_search_filters_by_prompt(qtbot, lib, make_sidebar, tmp_path):
    alpha = L.create_session(lib, name="Alpha").created[0]
    L.create_session(lib, name="Beta")
    L.add_item(lib, session_id=alpha, source=make_png(tmp_path / "fox.png"), prompt="a red fox in the snow")
    bar = make_sidebar()
    bar.search.setText("fox")
    qtbot.waitUntil(lambda: bar.model.mode == "search")
    assert rows(bar.model) == [("session", "Alpha")]
    bar.search.clear()
    qtbot.waitUntil(lambda: [n for k, n in rows(bar.model) if k == "session"] == ["Beta", "Alpha"])


def test_changes_made_elsewhere_show_up(qtbot, lib, make_sidebar):
    L.create_session(lib, name="Older")
    bar = make_sidebar()
    model = bar.model
    worker = threading.Thread(target=lambda: L.create_session(lib, name="From a worker"))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: [n for _, n in rows(model)] == ["Today", "From a worker", "Older"])
    sid = model.index(1, 0).data(IdRole)
    L.rename_session(lib, session_id=sid, name="Renamed elsewhere")
    qtbot.waitUntil(lambda: model.index_for_session(sid).data() == "Renamed elsewhere")
    fid = L.create_folder(lib, name="New from CLI").created[0]
    qtbot.waitUntil(lambda: model.index_for_folder(fid).isValid())
    L.move_sessions(lib, session_ids=[sid], folder_id=fid)
    qtbot.waitUntil(lambda: model.index_for_session(sid).parent() == model.index_for_folder(fid))
    L.trash_folder(lib, folder_id=fid)
    qtbot.waitUntil(lambda: not model.index_for_folder(fid).isValid())
    assert not model.index_for_session(sid).isValid()
    lib.undo()
    qtbot.waitUntil(lambda: model.index_for_session(sid).isValid())


def test_new_folder_starts_renaming_and_menus(qtbot, lib, make_sidebar):
    sid = L.create_session(lib, name="Session").created[0]
    bar = make_sidebar()
    bar.new_folder()
    qtbot.waitUntil(lambda: bar.tree.state() == bar.tree.State.EditingState)
    fid = L.list_folders(lib)[0].id
    assert bar.tree.currentIndex() == bar.model.index_for_folder(fid)
    menu = bar.build_menu(bar.model.index_for_session(sid))
    assert [a.text() for a in menu.actions() if a.text()] == ["Open", "Rename", "Move to folder", "Move to trash"]
    move = menu.actions()[2].menu()
    assert [a.text().strip() for a in move.actions() if a.text()] == ["New folder", "Top level"]
    move.actions()[0].trigger()
    qtbot.waitUntil(lambda: L.get_session(lib, sid).folder_id == fid)
    folder_menu = bar.build_menu(bar.model.index_for_folder(fid))
    assert [a.text() for a in folder_menu.actions() if a.text()] == ["New folder inside", "Rename", "Move to trash"]


def test_screenshots(qtbot, lib, make_sidebar):
    SHOTS.mkdir(exist_ok=True)
    now = now_ms()
    portraits = L.create_folder(lib, name="Portraits").created[0]
    album = L.create_folder(lib, name="Album covers").created[0]
    L.create_folder(lib, name="Drafts", parent_id=album)
    L.set_folder_collapsed(lib, folder_id=album, collapsed=True)
    add_sessions(lib, [("Studio headshots", now - 2 * DAY), ("Film grain look", now - 9 * DAY)], portraits)
    add_sessions(lib, [("Lo-fi beat for intro", now - DAY), ("Welcome tour voiceover", now - 4 * DAY),
                       ("Storyboard frames", now - 20 * DAY), ("Mountain timelapse", now - 50 * DAY),
                       ("Jazz trio loop", now - 80 * DAY)])
    L.create_session(lib, name="Product shots")
    pick = L.create_session(lib, name="Neon city at dusk").created[0]
    bar = make_sidebar()
    assert bar.select_session(pick)
    qtbot.wait(50)
    assert bar.grab().save(str(SHOTS / "sidebar.png"))
    L.trash_sessions(lib, session_ids=[pick])
    L.trash_folder(lib, folder_id=album)
    qtbot.waitUntil(lambda: not bar.model.index_for_session(pick).isValid())
    bar.set_trash_mode(True)
    assert bar.select_session(pick)
    qtbot.wait(50)
    assert bar.grab().save(str(SHOTS / "sidebar_trash.png"))


def test_model_passes_qt_model_tester(qtbot, qtmodeltester, lib, tasks, bridge):
    fid = L.create_folder(lib, name="Folder").created[0]
    inner = L.create_folder(lib, name="Inner", parent_id=fid).created[0]
    L.create_session(lib, name="In folder", folder_id=fid)
    ids = add_sessions(lib, [(f"S{i}", now_ms() - i * DAY) for i in range(40)])
    still = SessionTreeModel(lib, tasks, page_size=10)
    still.fetchMore(ROOT)
    qtmodeltester.check(still, force_py=True)
    model = SessionTreeModel(lib, tasks, bridge, page_size=10)
    model.fetchMore(ROOT)
    model.fetchMore(model.index_for_folder(fid))
    qtmodeltester.check(model)                 # Qt's tester stays attached through the edits
    L.move_sessions(lib, session_ids=ids[:3], folder_id=fid)
    L.move_folder(lib, folder_id=inner, parent_id=None)
    L.rename_folder(lib, folder_id=fid, name="Zed")
    L.trash_sessions(lib, session_ids=[ids[5]])
    L.create_session(lib, name="Newest")
    qtbot.waitUntil(lambda: [n for _, n in rows(model)][:2] == ["Inner", "Zed"]
                    and model.index(2, 0).data() == "Today")
    # Mode switches reset the model; both testers call fetchMore from their modelReset slot
    # before marking the reset done, so trash mode gets a model switched before attaching.
    trash = SessionTreeModel(lib, tasks, page_size=10)
    trash.set_trash(True)
    qtmodeltester.check(trash, force_py=True)
