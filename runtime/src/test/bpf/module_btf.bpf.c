// SPDX-License-Identifier: GPL-2.0
/*
 * CO-RE relocations and fentry targets that only kernel modules' BTF defines: struct
 * v9fs_session_info and v9fs_statfs are 9p's (fs/9p), struct p9_client is in both 9p's and 9pnet's
 * BTF. module_types checks first (bpf_core_type_exists / bpf_core_field_exists), so it loads on a
 * kernel without the modules and reports 0s there; the '?' programs reach module types unguarded,
 * so they load only where the modules' BTF is found.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

struct p9_client {
	unsigned int msize;
	int proto_version;
} __attribute__((preserve_access_index));

struct v9fs_session_info {
	unsigned int maxdata;
	struct p9_client *clnt;
} __attribute__((preserve_access_index));

struct super_block {
	void *s_fs_info;
} __attribute__((preserve_access_index));

struct dentry {
	struct super_block *d_sb;
} __attribute__((preserve_access_index));

__u32 target_tgid;
__u64 session_exists;
__u64 session_size;
__u64 session_type_id;
__u64 clnt_offset;
__u64 maxdata_offset;
__u64 proto_version_offset;
__u64 statfs_calls;
__u64 qualified_statfs_calls;
__u64 msize;

SEC("raw_tp/sys_enter")
int module_types(void *ctx)
{
	session_exists = bpf_core_type_exists(struct v9fs_session_info);
	session_size = bpf_core_type_size(struct v9fs_session_info);
	session_type_id = bpf_core_type_id_kernel(struct v9fs_session_info);
	if (bpf_core_field_exists(struct v9fs_session_info, clnt))
		clnt_offset = bpf_core_field_offset(struct v9fs_session_info, clnt);
	if (bpf_core_field_exists(struct p9_client, proto_version))
		proto_version_offset = bpf_core_field_offset(struct p9_client, proto_version);
	return 0;
}

SEC("?raw_tp/sys_enter")
int module_field_unguarded(void *ctx)
{
	maxdata_offset = bpf_core_field_offset(struct v9fs_session_info, maxdata);
	return 0;
}

/* static int v9fs_statfs(struct dentry *dentry, struct kstatfs *buf) */
SEC("?fentry/v9fs_statfs")
int BPF_PROG(on_v9fs_statfs, struct dentry *dentry, void *buf)
{
	struct v9fs_session_info *session;

	if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	session = BPF_CORE_READ(dentry, d_sb, s_fs_info);
	msize = BPF_CORE_READ(session, clnt, msize);
	__sync_fetch_and_add(&statfs_calls, 1);
	return 0;
}

SEC("?fentry/9p:v9fs_statfs")
int BPF_PROG(on_qualified_v9fs_statfs, struct dentry *dentry, void *buf)
{
	if ((bpf_get_current_pid_tgid() >> 32) == target_tgid)
		__sync_fetch_and_add(&qualified_statfs_calls, 1);
	return 0;
}

SEC("?fentry/9pnet:v9fs_statfs")
int BPF_PROG(in_the_wrong_module, struct dentry *dentry, void *buf)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
