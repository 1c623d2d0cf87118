/* The little of slapd's in-memory entry that pwguard_ppolicy.so reads. Debian ships no slapd
   headers, so these are our own declarations of the leading fields of three structures of
   servers/slapd/slap.h, checked in OpenLDAP's OPENLDAP_REL_ENG_2_5_13 and OPENLDAP_REL_ENG_2_6_14
   tags (identical there):
     struct Entry                { ID e_id; struct berval e_name; struct berval e_nname;
                                   Attribute *e_attrs; ... }          (ID is unsigned long)
     struct Attribute            { AttributeDescription *a_desc; BerVarray a_vals;
                                   BerVarray a_nvals; unsigned a_numvals; unsigned a_flags;
                                   Attribute *a_next; ... }
     struct AttributeDescription { AttributeDescription *ad_next; AttributeType *ad_type;
                                   struct berval ad_cname; ... }
   struct berval is liblber's { ber_len_t bv_len; char *bv_val; } (ber_len_t: unsigned long on
   Linux). Only these leading fields are declared: the module never allocates, copies or frees any
   of these structures, it only reads through pointers slapd hands it. test/ldap/ppolicy.test.ts
   proves the layout against the real slapd (a password holding the user's cn is refused). */
#ifndef PWG_SLAPD_ENTRY_H
#define PWG_SLAPD_ENTRY_H

struct berval {
  unsigned long bv_len;
  char *bv_val;
};

struct pwg_attr_desc {
  struct pwg_attr_desc *ad_next;
  void *ad_type;
  struct berval ad_cname;
};

struct pwg_attr {
  struct pwg_attr_desc *a_desc;
  struct berval *a_vals;
  struct berval *a_nvals;
  unsigned a_numvals;
  unsigned a_flags;
  struct pwg_attr *a_next;
};

struct pwg_entry {
  unsigned long e_id;
  struct berval e_name;
  struct berval e_nname;
  struct pwg_attr *e_attrs;
};

#endif
