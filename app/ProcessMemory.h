#pragma once

namespace riskdesk {

// How the process keeps the memory it frees.
class ProcessMemory {
public:
    // Keeps freed memory for reuse instead of handing it back to the system, up to a bound. A board request
    // builds tens of megabytes of rows and frees them; glibc maps a block that large afresh for every request
    // and unmaps it after, so each request faulted in every page again (on a virtual machine the faults cost
    // more than the work: BOARD-4 over a million exceptions took 2.5 times as long). Call first in main().
    static void keepFreedMemory();
};

} // namespace riskdesk
