import pytest

from sessionstudio.core.errors import UnsafeLocation
from sessionstudio.store.locations import (
    check_library_location,
    find_unsafe_reason,
    is_unc_path,
    mount_for,
    parse_mounts,
)

LOCAL_MOUNTS = "/dev/sda1 / ext4 rw,relatime 0 0\n"

# A real /proc/self/mounts excerpt, plus network mounts and an escaped mount point.
MOUNTS = r"""sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
udev /dev devtmpfs rw,nosuid,relatime,size=8131552k,nr_inodes=2032888,mode=755 0 0
/dev/nvme0n1p2 / ext4 rw,relatime,errors=remount-ro 0 0
tmpfs /run tmpfs rw,nosuid,nodev,noexec,relatime,size=1631640k,mode=755 0 0
/dev/nvme0n1p1 /boot/efi vfat rw,relatime,fmask=0077,dmask=0077 0 0
nas.local:/export/media /mnt/nas nfs4 rw,relatime,vers=4.2,rsize=1048576,wsize=1048576,hard,proto=tcp,sec=sys 0 0
//fileserver/projects /srv/team\040share cifs rw,relatime,vers=3.1.1,cache=strict,username=ann,uid=1000 0 0
/dev/sdb1 /srv/team\040share/local ext4 rw,relatime 0 0
"""


def check(path, **kw):
    kw.setdefault("mounts_text", LOCAL_MOUNTS)
    check_library_location(path, **kw)


@pytest.mark.parametrize(
    "parts, service",
    [
        (("Dropbox", "lib"), "Dropbox"),
        (("dropbox",), "Dropbox"),
        (("Dropbox (Contoso)", "lib"), "Dropbox"),
        (("OneDrive - Contoso", "Pictures", "lib"), "OneDrive"),
        (("OneDrive",), "OneDrive"),
        (("Google Drive", "My Drive", "lib"), "Google Drive"),
        (("My Drive", "lib"), "Google Drive"),
        (("Library", "Mobile Documents", "com~apple~CloudDocs", "lib"), "iCloud Drive"),
        (("iCloudDrive", "lib"), "iCloud Drive"),
        (("Library", "CloudStorage", "Box-Box", "lib"), "cloud storage"),
        (("Nextcloud", "lib"), "Nextcloud"),
    ],
)
def test_sync_folder_names_refused(tmp_path, parts, service):
    target = tmp_path.joinpath(*parts)
    target.mkdir(parents=True)
    with pytest.raises(UnsafeLocation) as err:
        check(target)
    message = str(err.value)
    assert str(target) in message
    assert f"inside a {service}" in message
    assert "--allow-unsafe-location" in message


def test_not_yet_existing_subpath_of_sync_folder_refused(tmp_path):
    (tmp_path / "Dropbox").mkdir()
    with pytest.raises(UnsafeLocation, match="Dropbox"):
        check(tmp_path / "Dropbox" / "new" / "library")


def test_dropbox_marker_in_ancestor_refused(tmp_path):
    root = tmp_path / "Work Sync"
    (root / "projects").mkdir(parents=True)
    (root / ".dropbox").write_text('{"tag": "dropbox"}')
    with pytest.raises(UnsafeLocation, match=r"Dropbox-synced folder .*\.dropbox exists"):
        check(root / "projects" / "lib")  # does not exist yet


def test_dropbox_settings_directory_is_not_a_marker(tmp_path):
    # ~/.dropbox is Dropbox's own settings folder; it must not flag the whole home.
    (tmp_path / ".dropbox").mkdir()
    check(tmp_path / "lib")


def test_syncthing_marker_refused(tmp_path):
    (tmp_path / "shared" / ".stfolder").mkdir(parents=True)
    with pytest.raises(UnsafeLocation, match="Syncthing"):
        check(tmp_path / "shared" / "a" / "b" / "lib")


def test_generic_sync_names_accepted(tmp_path):
    (tmp_path / "Sync").mkdir()
    (tmp_path / "Sync" / ".sync").mkdir()
    check(tmp_path / "Sync" / "lib")
    check(tmp_path / "Dropboxes" / "lib")


def test_override_accepts_unsafe_folder(tmp_path):
    (tmp_path / "Dropbox").mkdir()
    check_library_location(tmp_path / "Dropbox" / "lib", allow_unsafe=True, mounts_text=MOUNTS)


def test_parse_mounts_decodes_octal_escapes():
    mounts = parse_mounts(MOUNTS)
    assert ("/srv/team share", "cifs") in mounts
    assert ("/mnt/nas", "nfs4") in mounts


def test_nfs4_mount_refused():
    with pytest.raises(UnsafeLocation) as err:
        check_library_location("/mnt/nas/studio/library", mounts_text=MOUNTS)
    assert "network file system (nfs4 mounted at /mnt/nas)" in str(err.value)


def test_cifs_mount_with_escaped_space_refused():
    with pytest.raises(UnsafeLocation, match="cifs mounted at /srv/team share"):
        check_library_location("/srv/team share/lib", mounts_text=MOUNTS)


def test_longest_mount_prefix_wins():
    # A local disk mounted inside the share, and a sibling name that merely starts alike.
    check_library_location("/srv/team share/local/lib", mounts_text=MOUNTS)
    check_library_location("/mnt/nas2/lib", mounts_text=MOUNTS)
    assert mount_for("/mnt/nas", parse_mounts(MOUNTS)) == ("/mnt/nas", "nfs4")


def test_local_ext4_accepted(tmp_path):
    check_library_location(tmp_path / "lib", mounts_text=MOUNTS)
    assert find_unsafe_reason("/home/ann/Pictures/lib", mounts_text=MOUNTS) is None


def test_macos_mount_output_parsed():
    text = (
        "/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)\n"
        "//ann@nas._smb._tcp.local/media on /Volumes/media (smbfs, nodev, nosuid, mounted by ann)\n"
    )
    with pytest.raises(UnsafeLocation, match="smbfs mounted at /Volumes/media"):
        check_library_location("/Volumes/media/lib", mounts_text=text)
    check_library_location("/Users/ann/lib", mounts_text=text)


def test_unc_paths_recognised():
    assert is_unc_path(r"\\server\share\lib")
    assert is_unc_path("//server/share/lib")
    assert is_unc_path(r"\\?\UNC\server\share\lib")
    assert not is_unc_path(r"\\?\C:\lib")
    assert not is_unc_path(r"C:\Users\ann\lib")
