// HDF5's C API. Swift 6 rejects reading the H5T_NATIVE_*_g and H5P_CLS_*_ID_g globals
// behind the H5T_NATIVE_* / H5P_* macros, so they are reached through static inline functions.
#include <hdf5.h>
// The high-level library's dimension scales (H5DSset_scale, H5DSattach_scale): what netCDF-4,
// h5netcdf and xarray read as named dimensions.
#include <H5DSpublic.h>

static inline hid_t ir_h5t_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t ir_h5t_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t ir_h5t_native_int32(void) { return H5T_NATIVE_INT32; }
static inline hid_t ir_h5t_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t ir_h5t_native_uint8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t ir_h5t_c_s1(void) { return H5T_C_S1; }
static inline hid_t ir_h5p_file_create(void) { return H5P_FILE_CREATE; }
static inline hid_t ir_h5p_file_access(void) { return H5P_FILE_ACCESS; }
static inline hid_t ir_h5p_group_create(void) { return H5P_GROUP_CREATE; }
static inline hid_t ir_h5p_dataset_create(void) { return H5P_DATASET_CREATE; }
static inline hid_t ir_h5p_default(void) { return H5P_DEFAULT; }
static inline hid_t ir_h5s_all(void) { return H5S_ALL; }
static inline size_t ir_h5t_variable(void) { return H5T_VARIABLE; }
// H5F_ACC_* expand to comma expressions (H5check(), H5open(), flag) that Swift cannot import.
static inline unsigned ir_h5f_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline unsigned ir_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
