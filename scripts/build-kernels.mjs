console.log("kernels: nothing to build yet")
